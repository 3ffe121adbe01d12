/// BUSY: back-pressure; the batch was not stored, send it again after the
/// delay (`proto/PROTOCOL.md` 4.7).
public struct Busy: Hashable, Sendable {
    /// 0: every batch in flight.
    public var sequence: UInt64
    public var retryAfterMilliseconds: UInt32
    public var reason: String

    public init(sequence: UInt64, retryAfterMilliseconds: UInt32, reason: String) {
        self.sequence = sequence
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.reason = reason
    }
}
