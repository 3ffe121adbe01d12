/// One batch in the spool: where its bytes are and what it covers.
struct SpoolEntry: Sendable {
    var sequence: UInt64
    var recordCount: Int
    var rawLength: Int
    var isCompressed: Bool
    var positions: [FilePosition]
    /// The segment holding it, by first sequence.
    var segment: UInt64
    /// Offset and length of the body inside the segment file.
    var bodyOffset: Int
    var bodyLength: Int
    /// Bytes the whole entry takes on disk.
    var entryBytes: Int
}
