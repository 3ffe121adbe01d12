import NIOCore

extension ByteBuffer {
    /// Writes an unsigned LEB128 varint (minimal, 1–10 bytes).
    @inline(__always)
    @discardableResult
    public mutating func writeVarint(_ value: UInt64) -> Int {
        if value < 0x80 {
            return writeInteger(UInt8(truncatingIfNeeded: value))
        }
        return writeWithUnsafeMutableBytes(minimumWritableBytes: 10) { out in
            var value = value
            var index = 0
            while value >= 0x80 {
                out[index] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                index += 1
            }
            out[index] = UInt8(truncatingIfNeeded: value)
            return index + 1
        }
    }

    @inline(__always)
    @discardableResult
    public mutating func writeVarint(_ value: Int) -> Int {
        precondition(value >= 0, "varints are unsigned")
        return writeVarint(UInt64(value))
    }

    /// Writes a zigzag-encoded signed varint.
    @inline(__always)
    @discardableResult
    public mutating func writeSVarint(_ value: Int64) -> Int {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Writes a `string`: varint byte length and UTF-8 bytes.
    @discardableResult
    public mutating func writeWireString(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { utf8 in
            writeVarint(utf8.count) + writeBytes(UnsafeRawBufferPointer(utf8))
        }
    }

    /// Writes a `bytes` field from another buffer's readable bytes.
    @discardableResult
    public mutating func writeWireBytes(_ bytes: ByteBuffer) -> Int {
        writeVarint(bytes.readableBytes) + writeImmutableBuffer(bytes)
    }

    /// Writes a `bytes` field.
    @discardableResult
    public mutating func writeWireBytes(_ bytes: some Collection<UInt8>) -> Int {
        writeVarint(bytes.count) + writeBytes(bytes)
    }
}

extension ByteBuffer {
    /// Reads a `string` (varint length and UTF-8, at most `limit` bytes),
    /// consuming it only if it is whole and valid.
    public mutating func readWireString(limit: Int) throws(WireError) -> String {
        try readWire { (reader) throws(WireError) in try reader.readString("string", limit: limit) }
    }
}

extension ByteBuffer {
    /// Reads with a `WireReader` over the readable bytes and consumes what it read.
    private mutating func readWire<T>(_ body: (inout WireReader) throws(WireError) -> T) throws(WireError) -> T {
        let (value, consumed) = try withUnsafeReadableBytes { (bytes) throws(WireError) -> (T, Int) in
            var reader = WireReader(bytes)
            let value = try body(&reader)
            return (value, reader.offset)
        }
        moveReaderIndex(forwardBy: consumed)
        return value
    }

    /// Reads an unsigned LEB128 varint (minimal, at most 10 bytes).
    public mutating func readWireVarint() throws(WireError) -> UInt64 {
        try readWire { (reader) throws(WireError) in try reader.readVarint("varint") }
    }

    /// Reads a zigzag-encoded signed varint.
    public mutating func readWireSVarint() throws(WireError) -> Int64 {
        try readWire { (reader) throws(WireError) in try reader.readSVarint("svarint") }
    }

    /// Reads a `bytes` field (at most `limit` bytes) as a slice, no copy.
    public mutating func readWireBytes(limit: Int) throws(WireError) -> ByteBuffer {
        let (range, consumed) = try withUnsafeReadableBytes { (bytes) throws(WireError) -> (Range<Int>, Int) in
            var reader = WireReader(bytes)
            let range = try reader.readLengthPrefixed("bytes", limit: limit)
            return (range, reader.offset)
        }
        // Slice before consuming: bytes behind the reader index are not readable.
        let slice = getSlice(at: readerIndex + range.lowerBound, length: range.count)!
        moveReaderIndex(forwardBy: consumed)
        return slice
    }
}
