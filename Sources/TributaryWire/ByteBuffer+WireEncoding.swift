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
        let (string, consumed) = try withUnsafeReadableBytes { (bytes) throws(WireError) -> (String, Int) in
            var reader = WireReader(bytes)
            let string = try reader.readString("string", limit: limit)
            return (string, reader.offset)
        }
        moveReaderIndex(forwardBy: consumed)
        return string
    }
}
