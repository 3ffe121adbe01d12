/// Why a zlib operation failed. Every case says what was wrong with the
/// input, so an error that reaches an operator's log is actionable.
public enum CompressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Inflating would produce more than `limit` bytes: the stream is refused
    /// before the excess is allocated (a decompression bomb, or a peer that
    /// ignores the negotiated limits).
    case inflatedSizeExceedsLimit(limit: Int)
    /// The bytes are not a valid stream (bad header, bad block, wrong
    /// Adler-32 checksum). `detail` is zlib's own message.
    case corruptStream(detail: String)
    /// The stream ended before zlib saw its end marker.
    case truncatedStream(consumed: Int)
    /// The stream ended but bytes follow it in the input.
    case trailingBytes(count: Int)
    /// zlib could not allocate its state or another internal failure occurred.
    case zlibFailure(code: Int32, detail: String)

    public var description: String {
        switch self {
        case .inflatedSizeExceedsLimit(let limit):
            return "compressed data inflates past the limit of \(limit) bytes (refused before allocating it)"
        case .corruptStream(let detail):
            return "corrupt compressed stream: \(detail)"
        case .truncatedStream(let consumed):
            return "compressed stream is truncated: it ended after \(consumed) bytes without its final block"
        case .trailingBytes(let count):
            return "\(count) unexpected bytes follow the end of the compressed stream"
        case .zlibFailure(let code, let detail):
            return "zlib failed (code \(code)): \(detail)"
        }
    }
}
