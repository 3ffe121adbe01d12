/// How a DEFLATE stream is wrapped.
public enum DeflateFormat: Sendable {
    /// RFC 1950: 2-byte header and Adler-32 of the output. For data whose
    /// integrity nothing else checks (files at rest).
    case zlib
    /// RFC 1951 with no wrapper. The wire protocol's BATCH bodies, whose
    /// bytes the frame's CRC32C already covers; skipping Adler-32 makes
    /// inflating ~20% faster.
    case raw
    /// RFC 1952 (gzip member with CRC-32), as HTTP clients send with
    /// `Content-Encoding: gzip` (Fluent Bit's Loki output).
    case gzip

    /// zlib's `windowBits`: 32 KiB window, negative for raw.
    var windowBits: Int32 {
        switch self {
        case .zlib: return 15
        case .raw: return -15
        case .gzip: return 31
        }
    }
}
