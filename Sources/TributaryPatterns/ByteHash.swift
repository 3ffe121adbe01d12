/// FNV-1a over bytes: cheap, allocation-free, and good enough to tell
/// tokens apart (literal matches are re-checked byte for byte where a line
/// is rebuilt from its template, so a collision can never corrupt a line).
enum ByteHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3
    /// Mixed into the hash of a variable's prefix, so `user=<*>` and the
    /// literal `user=` never compare equal.
    static let variableMark: UInt64 = 0x9e37_79b9_7f4a_7c15

    @inline(__always)
    static func of(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt64 {
        var hash = offsetBasis
        var index = start
        while index < end {
            hash = (hash ^ UInt64(bytes[index])) &* prime
            index += 1
        }
        return hash
    }

    static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { of($0, from: 0, to: $0.count) }
    }

    @inline(__always)
    static func combine(_ seed: UInt64, _ value: UInt64) -> UInt64 {
        (seed ^ value) &* prime &+ 0x27d4_eb2f_1656_67c5
    }
}
