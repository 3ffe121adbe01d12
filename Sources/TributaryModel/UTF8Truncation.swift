import NIOCore

/// Cutting text to a byte limit without splitting a character: an
/// over-long hostname, label or message is shortened to the last whole
/// UTF-8 sequence that fits, never to invalid text and never kept whole.
public enum UTF8Truncation {
    /// How many of `bytes`' first bytes to keep so that at most `limit` are
    /// kept and the cut does not fall inside a multi-byte sequence. Bytes
    /// that are not UTF-8 are cut at the limit.
    public static func cutIndex<Bytes: Collection<UInt8>>(_ bytes: Bytes, limit: Int) -> Int where Bytes.Index == Int {
        let start = bytes.startIndex
        guard bytes.count > limit else { return bytes.count }
        guard limit > 0 else { return 0 }
        // The byte at `limit` is the first one dropped. If it continues a
        // sequence (10xxxxxx), back up to that sequence's lead byte (at
        // most three steps) and drop the whole sequence.
        var cut = limit
        var backed = 0
        while cut > 0, backed < 3, bytes[start + cut] & 0xC0 == 0x80 {
            cut -= 1
            backed += 1
        }
        if backed > 0, bytes[start + cut] & 0xC0 == 0xC0 { return cut }
        return limit  // a clean cut already, or not UTF-8 here: cut at the byte
    }
}

extension String {
    /// At most `limit` UTF-8 bytes, cut on a character boundary.
    public func truncatedUTF8(toBytes limit: Int) -> String {
        let bytes = Array(utf8)
        guard bytes.count > limit else { return self }
        return String(decoding: bytes[..<UTF8Truncation.cutIndex(bytes, limit: limit)], as: UTF8.self)
    }
}

extension ByteBuffer {
    /// The first bytes, at most `limit`, cut on a UTF-8 character boundary
    /// where the bytes are UTF-8.
    public func truncatedUTF8(toBytes limit: Int) -> ByteBuffer {
        guard readableBytes > limit else { return self }
        let keep = withUnsafeReadableBytes { raw in
            UTF8Truncation.cutIndex(Array(raw.prefix(limit + 1)), limit: limit)
        }
        return getSlice(at: readerIndex, length: keep) ?? self
    }
}
