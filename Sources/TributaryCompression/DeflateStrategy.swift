internal import CTributaryZlib

/// zlib's compression strategies: how a deflate block looks for matches.
/// Columns of different kinds compress best with different ones (a column
/// of small varints with run-length matches only, random bytes with Huffman
/// codes only), which `Deflater.compress(_:blocks:)` allows per block.
public enum DeflateStrategy: Sendable, CaseIterable {
    /// Matches of any length and distance (zlib's default).
    case standard
    /// Favours Huffman codes over short matches (small, noisy values).
    case filtered
    /// No matches at all: Huffman codes of single bytes.
    case huffmanOnly
    /// Matches at distance one only (runs of one byte).
    case runLength

    var zlibValue: Int32 {
        switch self {
        case .standard: return Z_DEFAULT_STRATEGY
        case .filtered: return Z_FILTERED
        case .huffmanOnly: return Z_HUFFMAN_ONLY
        case .runLength: return Z_RLE
        }
    }
}
