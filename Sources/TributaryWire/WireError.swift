import TributaryCompression

/// Why bytes from a peer are not a valid frame. Every message names the field
/// and the numbers involved, because it ends up in an operator's log.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first bytes are not `TRIB`. `hint` recognises common mistakes.
    case badMagic(found: [UInt8], hint: String?)
    case unsupportedVersion(UInt8, supported: [UInt8])
    case unknownFrameType(UInt8)
    case unknownFlags(type: FrameType, flags: UInt16)
    case frameTooLarge(length: Int, limit: Int)
    case checksumMismatch(type: FrameType, declared: UInt32, computed: UInt32)
    /// A frame or field ends before its declared size.
    case truncated(field: String, needed: Int, available: Int)
    case trailingBytes(field: String, count: Int)
    case varintOverflow(field: String)
    case nonMinimalVarint(field: String)
    case invalidUTF8(field: String)
    /// A count or length is larger than its limit or than the bytes left.
    case limitExceeded(field: String, value: UInt64, limit: Int)
    /// A field holds a value outside its range.
    case invalidValue(field: String, reason: String)
    /// A compressed batch body could not be inflated.
    case inflateFailure(CompressionError)

    /// The spec's name for the error class (`proto/PROTOCOL.md` section 6),
    /// as the golden vectors name it.
    public var kind: String {
        switch self {
        case .badMagic: return "bad-magic"
        case .unsupportedVersion: return "unsupported-version"
        case .unknownFrameType: return "unknown-frame-type"
        case .unknownFlags: return "unknown-flags"
        case .frameTooLarge: return "frame-too-large"
        case .checksumMismatch: return "checksum-mismatch"
        case .truncated: return "truncated"
        case .trailingBytes: return "trailing-bytes"
        case .varintOverflow: return "varint-overflow"
        case .nonMinimalVarint: return "non-minimal-varint"
        case .invalidUTF8: return "invalid-utf8"
        case .limitExceeded: return "limit-exceeded"
        case .invalidValue: return "invalid-value"
        case .inflateFailure: return "inflate-failure"
        }
    }

    public var description: String {
        switch self {
        case .badMagic(let found, let hint):
            let hex = found.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
            return "not a Tributary frame: expected magic 54 52 49 42 (\"TRIB\"), found \(hex)"
                + (hint.map { ": \($0)" } ?? "")
        case .unsupportedVersion(let version, let supported):
            return "frame version \(version) is not supported (this build speaks \(supported.map(String.init).joined(separator: ", ")))"
        case .unknownFrameType(let type):
            return "unknown frame type 0x\(String(type, radix: 16).leftPadded(to: 2))"
        case .unknownFlags(let type, let flags):
            return "\(type) frame has undefined flag bits 0x\(String(flags, radix: 16).leftPadded(to: 4))"
        case .frameTooLarge(let length, let limit):
            return "frame payload of \(length) bytes exceeds the limit of \(limit) bytes"
        case .checksumMismatch(let type, let declared, let computed):
            return "\(type) frame checksum mismatch: header says CRC32C \(hex32(declared)), payload has \(hex32(computed)) (corrupted in transit?)"
        case .truncated(let field, let needed, let available):
            return "\(field) is truncated: needs \(needed) bytes, \(available) remain"
        case .trailingBytes(let field, let count):
            return "\(count) unexpected bytes after the end of \(field)"
        case .varintOverflow(let field):
            return "\(field): varint longer than 64 bits"
        case .nonMinimalVarint(let field):
            return "\(field): varint is not minimally encoded"
        case .invalidUTF8(let field):
            return "\(field) is not valid UTF-8"
        case .limitExceeded(let field, let value, let limit):
            return "\(field) is \(value), above the limit of \(limit)"
        case .invalidValue(let field, let reason):
            return "\(field): \(reason)"
        case .inflateFailure(let error):
            return "batch body: \(error)"
        }
    }
}

private func hex32(_ value: UInt32) -> String {
    String(value, radix: 16).leftPadded(to: 8)
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
