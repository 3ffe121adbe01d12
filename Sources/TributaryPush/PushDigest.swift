/// A 64-bit digest of a push request's decoded body (and its tenant), the
/// sequence number of the batches stored for it: a client that retries a
/// request after a lost answer sends the same bytes, so its batches carry
/// the same identity and the node's duplicate check stores them once, as
/// it does for an agent's resent batch. Two different requests with equal
/// bytes hold equal records, which Loki and Prometheus also store once.
///
/// Not cryptographic: a tenant could only collide with its own data.
public struct PushDigest: Sendable {
    private var state: UInt64

    public init(seed: String) {
        state = 0x9E37_79B9_7F4A_7C15
        for byte in seed.utf8 { mix(UInt64(byte)) }
        mix(0xFF)
    }

    /// Mixes `bytes` in, eight at a time.
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset + 8 <= bytes.count {
            mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        mix(tail ^ (UInt64(bytes.count) << 56))
    }

    public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { add($0) }
    }

    public mutating func add(_ value: UInt64) {
        mix(value)
    }

    /// The digest, never 0 (batch sequences start at 1).
    public var value: UInt64 {
        var x = state
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x == 0 ? 1 : x
    }

    private mutating func mix(_ word: UInt64) {
        var k = word &* 0x87C3_7B91_1142_53D5
        k = (k << 31) | (k >> 33)
        k &*= 0x4CF5_AD43_2745_937F
        state ^= k
        state = ((state << 27) | (state >> 37)) &* 5 &+ 0x52DC_E729
    }
}
