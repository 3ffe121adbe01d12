import Foundation
import Logging
import NIOCore
import NIOPosix
import TributaryModel
import TributaryTLS
import TributaryWire

/// The agent's control connection for central configuration: a wire
/// protocol connection of its own (beside the forwarder's, so that
/// reloading the pipeline never drops it) to the first node that answers,
/// in the forwarder's order.
///
/// ```
/// agent                                    node
///   HELLO (capability centralConfig) ──▶
///                                     ◀──  WELCOME (capability echoed)
///   CONFIG_REQUEST(group, running)   ──▶
///                                     ◀──  CONFIG(version, body | unchanged | none)
///   CONFIG_STATUS(version, applied, error) ──▶
///                                     ◀──  CONFIG_CHANGED(group, version)   (a push, canary step, rollback)
///   CONFIG_REQUEST(group, running)   ──▶   …
/// ```
/// A node whose WELCOME lacks the capability (an older node) is left for
/// the next; when none serves it, the agent keeps running what it runs
/// and tries again with backoff (1 s doubling to 30 s).
public struct CentralConfigClient: Sendable {
    public let group: String
    public let agentID: String
    public let nodes: [NodeAddress]
    public let token: String
    public let tls: TLSConfiguration?
    public let serverName: String?
    public let logger: Logger

    /// Applies an offered configuration; returns the status to report
    /// (nil: nothing to report).
    public typealias Apply = @Sendable (ConfigOffer) async -> ConfigStatus?

    public init(group: String, agentID: String, nodes: [NodeAddress], token: String, tls: TLSConfiguration?, serverName: String?,
                logger: Logger) {
        self.group = group
        self.agentID = agentID
        self.nodes = NodeAddress.ranked(nodes, for: agentID)
        self.token = token
        self.tls = tls
        self.serverName = serverName
        self.logger = logger
    }

    /// Runs until the task is cancelled. `running` says which central
    /// version the agent runs now (0: none).
    public func run(running: @escaping @Sendable () async -> UInt64, apply: @escaping Apply) async {
        var backoff = Duration.seconds(1)
        var index = 0
        while !Task.isCancelled {
            let node = nodes[index % nodes.count]
            index += 1
            do {
                let served = try await session(node, running: running, apply: apply)
                if served { backoff = .seconds(1) }
            } catch {
                if Task.isCancelled { return }
                logger.notice("central configuration: \(node): \(error); trying again")
            }
            if index % nodes.count == 0 || Task.isCancelled {
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(30))
            }
        }
    }

    /// One connection; true when the node served central configuration.
    private func session(_ node: NodeAddress, running: @escaping @Sendable () async -> UInt64, apply: @escaping Apply) async throws -> Bool {
        let context = try tls.map { configuration throws(TLSError) in try TLSContext(configuration: configuration, role: .client) }
        let hostname = serverName ?? node.host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .connect(host: node.host, port: node.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let context { try pipeline.addHandler(TLSHandler(context: context, serverHostname: hostname)) }
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
                    return try NIOAsyncChannel<Frame, Frame>(wrappingChannelSynchronously: channel)
                }
            }
        let raw = channel.channel
        return try await withTaskCancellationHandler {
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(.hello(Hello(agentID: agentID, token: Array(token.utf8), capabilities: .centralConfig,
                                                      software: TributaryVersion.software, host: ProcessInfo.processInfo.hostName)))
                var frames = inbound.makeAsyncIterator()
                switch try await frames.next() {
                case .welcome(let welcome):
                    guard welcome.capabilities.contains(.centralConfig) else {
                        logger.warning("central configuration: node \(welcome.nodeID) (\(node)) does not serve it (an older version?); trying another node")
                        return false
                    }
                case .reject(let reject):
                    throw CentralConfigError.refused("\(reject.code): \(reject.reason)")
                case let other:
                    throw CentralConfigError.refused("expected WELCOME, got \(other.map { "\($0.type)" } ?? "the connection closed")")
                }
                try await outbound.write(.configRequest(ConfigRequest(group: group, version: await running())))
                while let frame = try await frames.next() {
                    switch frame {
                    case .config(let offer) where offer.group == group:
                        if let status = await apply(offer) { try await outbound.write(.configStatus(status)) }
                    case .configChanged(let changed) where changed.group == group:
                        try await outbound.write(.configRequest(ConfigRequest(group: group, version: await running())))
                    case .ping(let nonce):
                        try await outbound.write(.pong(nonce: nonce))
                    case .goAway(let goAway):
                        logger.notice("central configuration: \(node) is going away (\(goAway.code): \(goAway.reason))")
                        return true
                    default:
                        continue
                    }
                }
                return true
            }
        } onCancel: {
            raw.close(promise: nil)
        }
    }
}

/// Why the control connection ended.
enum CentralConfigError: Error, CustomStringConvertible {
    case refused(String)

    var description: String {
        switch self {
        case .refused(let reason): return "the node refused the connection: \(reason)"
        }
    }
}
