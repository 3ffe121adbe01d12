import TributaryModel

/// The index entry of one chunk of a block: one stream's records, their
/// time range, where the compressed bytes are, and the trigram filter.
public struct BlockChunk: Equatable, Sendable {
    public let streamID: UInt64
    public let labels: Labels
    public let minTimestamp: Int64
    public let maxTimestamp: Int64
    public let recordCount: Int
    let offset: Int
    let compressedLength: Int
    let rawLength: Int
    let checksum: UInt32
    public let filter: TrigramFilter

    public func overlaps(start: Int64, end: Int64) -> Bool {
        minTimestamp < end && maxTimestamp >= start
    }
}
