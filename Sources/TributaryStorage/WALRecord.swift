import NIOCore

/// One entry of the write-ahead log: a sequence number the log assigned
/// and the caller's payload.
public struct WALRecord: Hashable, Sendable {
    public let sequence: UInt64
    public let payload: ByteBuffer

    public init(sequence: UInt64, payload: ByteBuffer) {
        self.sequence = sequence
        self.payload = payload
    }
}
