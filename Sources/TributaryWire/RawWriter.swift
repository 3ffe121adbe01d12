import NIOCore

/// A write cursor over memory reserved in advance, for the encoder's hot
/// loop: on this toolchain each small `ByteBuffer` write costs ~30 ns
/// (capacity and uniqueness checks), a store through a pointer well under
/// one. The caller reserves an upper bound of what it will write; every
/// write checks it with a precondition, so a wrong bound traps rather than
/// corrupting memory.
struct RawWriter {
    private let base: UnsafeMutableRawPointer
    private let capacity: Int
    private(set) var offset = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress!
        capacity = buffer.count
    }

    /// The most bytes `writeVarint` writes.
    static let maxVarintBytes = 10

    @inline(__always)
    private func reserve(_ count: Int) {
        precondition(offset + count <= capacity, "BUG: RawWriter bound too small")
    }

    @inline(__always)
    mutating func writeU8(_ value: UInt8) {
        reserve(1)
        base.storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
        offset += 1
    }

    @inline(__always)
    mutating func writeU64(_ value: UInt64) {
        reserve(8)
        base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
        offset += 8
    }

    @inline(__always)
    mutating func writeVarint(_ value: UInt64) {
        reserve(Self.maxVarintBytes)
        var value = value
        while value >= 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, toByteOffset: offset, as: UInt8.self)
            value >>= 7
            offset += 1
        }
        base.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: offset, as: UInt8.self)
        offset += 1
    }

    @inline(__always)
    mutating func writeVarint(_ value: Int) {
        writeVarint(UInt64(value))
    }

    @inline(__always)
    mutating func writeSVarint(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inline(__always)
    mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        if let source = bytes.baseAddress, bytes.count > 0 {
            (base + offset).copyMemory(from: source, byteCount: bytes.count)
        }
        offset += bytes.count
    }

    /// A `bytes` field: varint length and the buffer's readable bytes.
    @inline(__always)
    mutating func writeLengthPrefixed(_ bytes: ByteBuffer) {
        writeVarint(bytes.readableBytes)
        bytes.withUnsafeReadableBytes { writeBytes($0) }
    }

    /// A `string` field.
    @inline(__always)
    mutating func writeLengthPrefixed(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            writeVarint(utf8.count)
            writeBytes(UnsafeRawBufferPointer(utf8))
        }
    }
}
