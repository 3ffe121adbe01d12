import Logging
import NIOCore
import NIOPosix
import TributaryModel
import TributaryTLS

/// The syslog listeners of one `type: syslog` input.
public final class SyslogInput: Sendable {
    public let name: String
    private let channels: [Channel]
    /// The bound ports by protocol (`udp`, `tcp`, `tls`), real when configured as 0.
    public let ports: [String: Int]

    private init(name: String, channels: [Channel], ports: [String: Int]) {
        self.name = name
        self.channels = channels
        self.ports = ports
    }

    public static func start(name: String, settings: SyslogInputSettings, labels: Labels, processor: LineProcessor, batcher: Batcher,
                             metrics: AgentMetrics, group: EventLoopGroup, logger: Logger) async throws -> SyslogInput {
        let builder = SyslogRecordBuilder(input: name, labels: labels, processor: processor, metrics: metrics,
                                          timeZone: settings.rfc3164TimeZone)
        var channels: [Channel] = []
        var ports: [String: Int] = [:]
        do {
            if let (host, port) = settings.udp {
                let channel = try await DatagramBootstrap(group: group)
                    .channelOption(.socketOption(.so_reuseaddr), value: 1)
                    .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                    .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(SyslogDatagramHandler(
                                builder: builder, batcher: batcher, metrics: metrics, maxMessageBytes: settings.maxMessageBytes))
                        }
                    }
                    .bind(host: host, port: port).get()
                channels.append(channel)
                ports["udp"] = channel.localAddress?.port ?? port
            }
            let tlsStore = try settings.tlsConfiguration.map { configuration throws(TLSError) in
                try TLSContextStore(configuration: configuration, role: .server)
            }
            for (kind, address) in [("tcp", settings.tcp), ("tls", settings.tls)] {
                guard let (host, port) = address else { continue }
                let useTLS = kind == "tls"
                let connections = ConnectionCounter(limit: settings.maxConnections)
                let channel = try await ServerBootstrap(group: group)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .serverChannelOption(.backlog, value: 256)
                    .childChannelOption(.socketOption(.so_keepalive), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            guard connections.open() else {
                                metrics.add("tributary_agent_input_errors_total", "syslog_too_many_connections")
                                throw ChannelError.inputClosed
                            }
                            channel.closeFuture.whenComplete { _ in connections.close() }
                            let pipeline = channel.pipeline.syncOperations
                            if useTLS, let tlsStore { try pipeline.addHandler(TLSHandler(context: tlsStore.context)) }
                            try pipeline.addHandler(SyslogStreamHandler(
                                builder: builder, batcher: batcher, metrics: metrics, maxMessageBytes: settings.maxMessageBytes))
                            try pipeline.addHandler(SyslogErrorLogger(logger: logger, metrics: metrics))
                        }
                    }
                    .bind(host: host, port: port).get()
                channels.append(channel)
                ports[kind] = channel.localAddress?.port ?? port
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw AgentStartError.cannotListen(input: name, reason: "\(error)")
        }
        logger.info("\(name): syslog on \(ports.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        return SyslogInput(name: name, channels: channels, ports: ports)
    }

    public func stop() async {
        for channel in channels { try? await channel.close() }
    }
}
