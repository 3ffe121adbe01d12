/// ACK: batches are durable (`proto/PROTOCOL.md` 4.5).
public struct Ack: Hashable, Sendable {
    /// Every batch sent on this connection with a sequence ≤ this is durable.
    public var cumulative: UInt64
    /// Batches beyond `cumulative` that are durable too.
    public var selective: [UInt64]

    public init(cumulative: UInt64, selective: [UInt64] = []) {
        self.cumulative = cumulative
        self.selective = selective
    }

    /// Whether this ACK covers the batch numbered `sequence`.
    public func acknowledges(_ sequence: UInt64) -> Bool {
        sequence <= cumulative || selective.contains(sequence)
    }
}
