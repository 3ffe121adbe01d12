/// A bounds-checked cursor over a frame payload or batch body.
///
/// Every read checks the bytes that remain before touching them and throws a
/// `WireError` naming the field; nothing is allocated on the strength of a
/// peer's count until the remaining bytes could back it. Field names are
/// autoclosures so the happy path never builds a string.
struct WireReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.offset = 0
    }

    var remaining: Int { bytes.count - offset }

    private func require(_ count: Int, _ field: () -> String) throws(WireError) {
        guard count <= remaining else {
            throw .truncated(field: field(), needed: count, available: remaining)
        }
    }

    mutating func readU8(_ field: @autoclosure () -> String) throws(WireError) -> UInt8 {
        try require(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readU16(_ field: @autoclosure () -> String) throws(WireError) -> UInt16 {
        try require(2, field)
        defer { offset += 2 }
        return UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    mutating func readU32(_ field: @autoclosure () -> String) throws(WireError) -> UInt32 {
        try require(4, field)
        defer { offset += 4 }
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func readU64(_ field: @autoclosure () -> String) throws(WireError) -> UInt64 {
        try require(8, field)
        defer { offset += 8 }
        return UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func readF64(_ field: @autoclosure () -> String) throws(WireError) -> Double {
        Double(bitPattern: try readU64(field()))
    }

    /// Unsigned LEB128, at most 10 bytes, minimally encoded.
    @inline(__always)
    mutating func readVarint(_ field: @autoclosure () -> String) throws(WireError) -> UInt64 {
        // Fast path: one byte (most indexes, counts and small lengths).
        if offset < bytes.count, bytes[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(bytes[offset])
        }
        return try readVarintSlow(field)
    }

    private mutating func readVarintSlow(_ field: () -> String) throws(WireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = offset
        while true {
            guard index < bytes.count else {
                throw .truncated(field: field(), needed: index - offset + 1, available: remaining)
            }
            let byte = bytes[index]
            index += 1
            if shift == 63 && byte > 1 {
                throw .varintOverflow(field: field())
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                if byte == 0 && index - offset > 1 {
                    throw .nonMinimalVarint(field: field())
                }
                offset = index
                return result
            }
            shift += 7
        }
    }

    /// A zigzag-encoded signed varint.
    @inline(__always)
    mutating func readSVarint(_ field: @autoclosure () -> String) throws(WireError) -> Int64 {
        let raw = try readVarint(field())
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A varint that counts items of at least `minimumItemBytes` bytes each:
    /// checked against `limit` and against what the remaining bytes can hold.
    mutating func readCount(
        _ field: @autoclosure () -> String, limit: Int, minimumItemBytes: Int = 1
    ) throws(WireError) -> Int {
        let value = try readVarint(field())
        guard value <= UInt64(limit) else {
            throw .limitExceeded(field: field(), value: value, limit: limit)
        }
        let count = Int(value)
        guard count * minimumItemBytes <= remaining else {
            throw .limitExceeded(field: field() + " (more items than the remaining \(remaining) bytes can hold)",
                                 value: value, limit: remaining / max(1, minimumItemBytes))
        }
        return count
    }

    /// A varint length followed by that many bytes; returns their offsets.
    mutating func readLengthPrefixed(
        _ field: @autoclosure () -> String, limit: Int
    ) throws(WireError) -> Range<Int> {
        let value = try readVarint(field())
        guard value <= UInt64(limit) else {
            throw .limitExceeded(field: field() + " length", value: value, limit: limit)
        }
        let length = Int(value)
        try require(length, field)
        defer { offset += length }
        return offset..<(offset + length)
    }

    /// A `string`: length-prefixed, valid UTF-8.
    mutating func readString(_ field: @autoclosure () -> String, limit: Int) throws(WireError) -> String {
        let range = try readLengthPrefixed(field(), limit: limit)
        guard let string = Self.string(validating: UnsafeRawBufferPointer(rebasing: bytes[range])) else {
            throw .invalidUTF8(field: field())
        }
        return string
    }

    /// A `bytes` field as an array.
    mutating func readByteArray(_ field: @autoclosure () -> String, limit: Int) throws(WireError) -> [UInt8] {
        let range = try readLengthPrefixed(field(), limit: limit)
        return Array(bytes[range])
    }

    mutating func skip(_ count: Int) throws(WireError) {
        try require(count) { "skipped bytes" }
        offset += count
    }

    mutating func expectEnd(_ field: @autoclosure () -> String) throws(WireError) {
        guard remaining == 0 else { throw .trailingBytes(field: field(), count: remaining) }
    }

    static func string(validating bytes: UnsafeRawBufferPointer) -> String? {
        String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self)
    }
}
