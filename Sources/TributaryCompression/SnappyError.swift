/// Why a snappy block could not be decompressed. Each case says what was
/// wrong with the input, for a 400/413 answer a client can act on.
public enum SnappyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The block declares more uncompressed bytes than `limit`: refused
    /// before anything is allocated (a snappy bomb, or a request too large).
    case uncompressedSizeExceedsLimit(declared: Int, limit: Int)
    /// The bytes are not a snappy block (bad header, bad copy offsets, or
    /// data whose length differs from the declared one).
    case corruptBlock

    public var description: String {
        switch self {
        case .uncompressedSizeExceedsLimit(let declared, let limit):
            return "the snappy block declares \(declared) uncompressed bytes, more than the limit of \(limit) (refused before decompressing)"
        case .corruptBlock:
            return "the body is not a valid snappy block (send the snappy block format, not the framed stream format, with Content-Encoding: snappy)"
        }
    }
}
