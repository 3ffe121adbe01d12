import NIOCore
import TributaryCompression

/// How a push body is compressed (`Content-Encoding`), and its removal
/// within `PushLimits.maxDecompressedBytes`.
public enum PushEncoding: Sendable, Equatable {
    case identity
    /// Snappy's block format (not the framed stream format).
    case snappy
    case gzip
    case deflate

    /// The encoding a `Content-Encoding` header names; nil header: `fallback`.
    public static func named(_ header: String?, fallback: PushEncoding) throws(PushError) -> PushEncoding {
        guard let header else { return fallback }
        switch header.trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "identity": return .identity
        case "snappy": return .snappy
        case "gzip", "x-gzip": return .gzip
        case "deflate": return .deflate
        default:
            throw PushError(.unsupportedMediaType, "Content-Encoding \"\(header)\" is not supported here: send snappy, gzip, deflate or none")
        }
    }

    /// The body's bytes once decoded.
    public func decode(_ body: ByteBuffer, limits: PushLimits) throws(PushError) -> [UInt8] {
        let limit = limits.maxDecompressedBytes
        switch self {
        case .identity:
            return Array(body.readableBytesView)
        case .snappy:
            do {
                return try body.withUnsafeReadableBytes { bytes throws(SnappyError) in try SnappyBlock.decompress(bytes, limit: limit) }
            } catch .uncompressedSizeExceedsLimit(let declared, let limit) {
                throw .tooLarge("the snappy body declares \(declared) bytes once decompressed, over push.max_decompressed_bytes (\(limit)): send smaller requests")
            } catch {
                throw .badRequest(error.description)
            }
        case .gzip, .deflate:
            var output = ByteBuffer()
            do {
                try Inflater(format: self == .gzip ? .gzip : .zlib).inflate(body, appendingTo: &output, limit: limit)
            } catch .inflatedSizeExceedsLimit {
                throw .tooLarge("the \(self == .gzip ? "gzip" : "deflate") body inflates past push.max_decompressed_bytes (\(limit)): send smaller requests")
            } catch {
                throw .badRequest("the body is not valid \(self == .gzip ? "gzip" : "deflate (zlib)"): \(error)")
            }
            return Array(output.readableBytesView)
        }
    }
}
