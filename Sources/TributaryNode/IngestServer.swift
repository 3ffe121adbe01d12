import Logging
import NIOCore
import NIOPosix
import TributaryTLS
import TributaryWire

/// The node's agent-facing listener: TLS (unless explicitly insecure), the
/// wire protocol's framing, and an `IngestHandler` per connection.
public final class IngestServer: Sendable {
    public let channel: Channel
    private let connections: ConnectionSet

    public var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: Channel, connections: ConnectionSet) {
        self.channel = channel
        self.connections = connections
    }

    /// Binds `host:port` (port 0 picks a free one).
    /// - Parameter tls: nil only for `insecure: true` setups.
    public static func start(
        host: String, port: Int, group: EventLoopGroup, tls: TLSContextStore?, store: IngestStore, cluster: ClusterNode? = nil,
        credentials: IngestCredentials, nodeID: String, limits: WireLimits = .default, window: Int = 16,
        recordBounds: RecordBounds = RecordBounds(), tenantLimits: [String: TenantLimits] = [:], metrics: NodeMetrics = NodeMetrics(),
        fleetConfig: FleetConfigService? = nil, fleet: FleetRegistry? = nil, logger: Logger = Logger(label: "tributary.ingest")
    ) async throws -> IngestServer {
        let connections = ConnectionSet()
        let rates = TenantRateLimiter(limits: tenantLimits)
        let limiter = rates.isEmpty ? nil : rates
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 64 * 1024, maximum: 1024 * 1024))
            .childChannelInitializer { channel in
                connections.insert(channel)
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(TLSHandler(context: tls.context)) }
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(limits: limits)))
                    try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
                    try pipeline.addHandler(IngestHandler(
                        session: IngestSession(nodeID: nodeID, credentials: credentials, limits: limits, window: window),
                        store: store,
                        cluster: cluster,
                        validator: BatchValidator(maxAge: recordBounds.maxAge, maxFuture: recordBounds.maxFuture, limits: limits),
                        rates: limiter, metrics: metrics, fleetConfig: fleetConfig, fleet: fleet, logger: logger))
                }
            }
            .bind(host: host, port: port).get()
        return IngestServer(channel: channel, connections: connections)
    }

    /// Stops accepting new connections; open ones stay until
    /// `closeConnections`, so batches being stored can still be answered.
    public func stop() async throws {
        try await channel.close()
    }

    /// Closes every agent connection (after the store finished what was
    /// under way); agents reconnect and resend what was not acknowledged.
    public func closeConnections() async {
        await connections.closeAll()
    }
}
