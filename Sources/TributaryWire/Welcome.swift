/// WELCOME: the server accepted the HELLO; the limits bind this connection
/// (`proto/PROTOCOL.md` 4.2).
public struct Welcome: Hashable, Sendable {
    public var version: UInt8
    public var capabilities: Capabilities
    public var nodeID: String
    public var maxFrameBytes: UInt32
    public var maxBatchRecords: UInt32
    public var maxBatchRawBytes: UInt32
    /// Most BATCH frames the client may have unanswered.
    public var window: UInt16
    /// 0: no idle timeout.
    public var idleTimeoutMilliseconds: UInt32

    public init(version: UInt8, capabilities: Capabilities, nodeID: String, maxFrameBytes: UInt32, maxBatchRecords: UInt32, maxBatchRawBytes: UInt32, window: UInt16, idleTimeoutMilliseconds: UInt32) {
        self.version = version
        self.capabilities = capabilities
        self.nodeID = nodeID
        self.maxFrameBytes = maxFrameBytes
        self.maxBatchRecords = maxBatchRecords
        self.maxBatchRawBytes = maxBatchRawBytes
        self.window = window
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
    }
}
