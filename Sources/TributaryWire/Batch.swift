import NIOCore

/// BATCH: records identified by `(agentID, sequence)` (`proto/PROTOCOL.md` 4.4).
///
/// The body stays as received (compressed or not): a node can identify,
/// deduplicate and store a batch without inflating it. `BatchDecoder` turns
/// the body into records; `BatchEncoder` builds batches from records.
public struct Batch: Hashable, Sendable {
    public var agentID: String
    /// ≥ 1; kept across every retry of the same batch.
    public var sequence: UInt64
    public var recordCount: Int
    /// Byte length of the uncompressed body.
    public var rawLength: Int
    /// Whether `body` is a zlib stream.
    public var isCompressed: Bool
    public var body: ByteBuffer

    public init(agentID: String, sequence: UInt64, recordCount: Int, rawLength: Int, isCompressed: Bool, body: ByteBuffer) {
        self.agentID = agentID
        self.sequence = sequence
        self.recordCount = recordCount
        self.rawLength = rawLength
        self.isCompressed = isCompressed
        self.body = body
    }

    /// A batch is identified by its agent and sequence number forever.
    public struct ID: Hashable, Sendable, CustomStringConvertible {
        public var agentID: String
        public var sequence: UInt64

        public init(agentID: String, sequence: UInt64) {
            self.agentID = agentID
            self.sequence = sequence
        }

        public var description: String { "\(agentID)#\(sequence)" }
    }

    public var id: ID { ID(agentID: agentID, sequence: sequence) }
}
