import NIOCore

/// How the forwarder talks to nodes.
public struct ForwarderSettings: Sendable {
    public var nodes: [NodeAddress]
    public var token: String
    /// The name the nodes' certificates must carry; nil: each node's host.
    public var serverName: String?
    /// The most batches in flight, whatever window a node offers.
    public var maxWindow = 32
    /// Reconnect backoff: doubles from `initialBackoff` up to `maxBackoff`,
    /// with full jitter.
    public var initialBackoff: TimeAmount = .milliseconds(200)
    public var maxBackoff: TimeAmount = .seconds(30)
    /// A node that leaves a batch unanswered this long is considered stuck:
    /// the connection is closed and the batches go elsewhere.
    public var answerTimeout: TimeAmount = .seconds(60)
    public var connectTimeout: TimeAmount = .seconds(10)
    /// With several nodes, BUSY for this long moves the agent to the next one.
    public var busyFailover: TimeAmount = .seconds(5)
    /// How long after a retryable NACK a batch is sent again.
    public var retryDelay: TimeAmount = .seconds(1)

    public init(nodes: [NodeAddress], token: String, serverName: String? = nil) {
        self.nodes = nodes
        self.token = token
        self.serverName = serverName
    }
}
