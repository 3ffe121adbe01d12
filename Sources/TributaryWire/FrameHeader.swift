import NIOCore

/// The 16-byte frame header.
///
/// ```
///  0       4   5    6       8              12             16
///  +-------+---+----+-------+--------------+--------------+-----------
///  | TRIB  | v |type| flags | payload len  | CRC32C(payl) | payload…
///  +-------+---+----+-------+--------------+--------------+-----------
/// ```
/// All integers big-endian; see `proto/PROTOCOL.md` section 3.
public struct FrameHeader: Hashable, Sendable {
    public static let size = 16
    public static let magic: UInt32 = 0x5452_4942  // "TRIB"
    /// Frame versions this build reads and writes.
    public static let supportedVersions: [UInt8] = [1]
    public static let currentVersion: UInt8 = 1

    public var version: UInt8
    public var type: FrameType
    public var flags: FrameFlags
    public var payloadLength: Int
    public var checksum: UInt32

    public init(version: UInt8 = FrameHeader.currentVersion, type: FrameType, flags: FrameFlags, payloadLength: Int, checksum: UInt32) {
        self.version = version
        self.type = type
        self.flags = flags
        self.payloadLength = payloadLength
        self.checksum = checksum
    }

    /// Parses and validates a header at the reader index of `buffer` without
    /// consuming it. Returns nil while fewer than 16 bytes are buffered, but
    /// throws as soon as the bytes present are already wrong (bad magic after
    /// the first 4 bytes), so a TLS or HTTP client is told at once.
    static func peek(in buffer: ByteBuffer, limits: WireLimits) throws(WireError) -> FrameHeader? {
        let start = buffer.readerIndex
        let available = buffer.readableBytes
        if available >= 4 || (available > 0 && !magicPrefixMatches(buffer)) {
            let found = buffer.getBytes(at: start, length: min(available, 4)) ?? []
            if found != [0x54, 0x52, 0x49, 0x42] {
                throw .badMagic(found: found, hint: hint(for: found))
            }
        }
        guard available >= size else { return nil }
        let version = buffer.getInteger(at: start + 4, as: UInt8.self)!
        guard supportedVersions.contains(version) else {
            throw .unsupportedVersion(version, supported: supportedVersions)
        }
        let type = FrameType(rawValue: buffer.getInteger(at: start + 5, as: UInt8.self)!)
        guard type.isKnown else { throw .unknownFrameType(type.rawValue) }
        let flags = FrameFlags(rawValue: buffer.getInteger(at: start + 6, as: UInt16.self)!)
        let undefined = flags.subtracting(FrameFlags.allowed(for: type))
        guard undefined.isEmpty else { throw .unknownFlags(type: type, flags: undefined.rawValue) }
        let length = Int(buffer.getInteger(at: start + 8, as: UInt32.self)!)
        guard length <= limits.maxFrameBytes else {
            throw .frameTooLarge(length: length, limit: limits.maxFrameBytes)
        }
        let checksum = buffer.getInteger(at: start + 12, as: UInt32.self)!
        return FrameHeader(version: version, type: type, flags: flags, payloadLength: length, checksum: checksum)
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.magic)
        buffer.writeInteger(version)
        buffer.writeInteger(type.rawValue)
        buffer.writeInteger(flags.rawValue)
        buffer.writeInteger(UInt32(payloadLength))
        buffer.writeInteger(checksum)
    }

    private static func magicPrefixMatches(_ buffer: ByteBuffer) -> Bool {
        let magic: [UInt8] = [0x54, 0x52, 0x49, 0x42]
        let present = buffer.getBytes(at: buffer.readerIndex, length: min(buffer.readableBytes, 4)) ?? []
        return Array(magic.prefix(present.count)) == present
    }

    /// Names the usual reasons for foreign bytes on the wire port.
    private static func hint(for found: [UInt8]) -> String? {
        if found.count >= 2, found[0] == 0x16, found[1] == 0x03 {
            return "the peer started a TLS handshake on a plain-TCP port (enable TLS on this listener, or connect without TLS)"
        }
        let text = String(decoding: found, as: UTF8.self)
        if ["GET ", "POST", "PUT ", "HEAD", "DELE", "OPTI", "PATC"].contains(where: { text.hasPrefix($0) }) {
            return "the peer sent an HTTP request to the wire-protocol port (use the HTTP port for queries and /metrics)"
        }
        return nil
    }
}
