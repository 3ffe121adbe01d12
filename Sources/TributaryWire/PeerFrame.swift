import NIOCore

/// A node-to-node frame (types 0x80–0xBF), framed and checksummed by this
/// layer; the cluster layer gives the payload its meaning.
public struct PeerFrame: Hashable, Sendable {
    public var type: FrameType
    public var flags: FrameFlags
    public var payload: ByteBuffer

    public init(type: FrameType, flags: FrameFlags = [], payload: ByteBuffer) {
        precondition(type.isPeer, "\(type) is not a node-to-node frame type")
        self.type = type
        self.flags = flags
        self.payload = payload
    }
}
