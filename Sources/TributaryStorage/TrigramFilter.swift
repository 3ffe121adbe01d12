/// A Bloom filter over the byte trigrams of a chunk's log lines, so that a
/// substring search (`|= "timeout"`) can skip chunks without inflating
/// them: if any trigram of the searched text is absent, no line contains
/// it. No false negatives. Deliberately small: 2 bits per distinct trigram
/// and one hash function give ~39% false positives per absent trigram, but
/// a search text has several trigrams and a chunk is skipped when any one
/// is absent: with 6 absent trigrams, 0.4% of chunks are read for nothing.
/// At 10 bits per trigram the filters were as large as the compressed data;
/// at 2 they are ~3% of it.
/// Searches shorter than 3 bytes match all.
public struct TrigramFilter: Equatable, Sendable {
    public static let hashCount = 1
    public static let bitsPerTrigram = 2
    private(set) var words: [UInt64]

    /// A filter sized for `trigrams`, holding exactly them.
    init(trigrams: some Collection<UInt32>) {
        let bits = max(64, trigrams.count * Self.bitsPerTrigram)
        words = [UInt64](repeating: 0, count: (bits + 63) / 64)
        for trigram in trigrams { insert(trigram) }
    }

    /// A filter read back from its words.
    init(words: [UInt64]) {
        precondition(!words.isEmpty, "a trigram filter has at least one word")
        self.words = words
    }

    /// Bytes the filter takes in a block's index.
    public var byteCount: Int { words.count * 8 }

    /// Whether some line of the chunk may contain `text`.
    public func mightContain(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return true }
        var trigram = UInt32(bytes[0]) << 8 | UInt32(bytes[1])
        for index in 2..<bytes.count {
            trigram = (trigram << 8 | UInt32(bytes[index])) & 0xFF_FFFF
            if !contains(trigram) { return false }
        }
        return true
    }

    private mutating func insert(_ trigram: UInt32) {
        let bitCount = UInt64(words.count * 64)
        var (first, step) = Self.hashes(trigram)
        for _ in 0..<Self.hashCount {
            let bit = first % bitCount
            words[Int(bit / 64)] |= 1 << (bit % 64)
            first &+= step
        }
    }

    private func contains(_ trigram: UInt32) -> Bool {
        let bitCount = UInt64(words.count * 64)
        var (first, step) = Self.hashes(trigram)
        for _ in 0..<Self.hashCount {
            let bit = first % bitCount
            if words[Int(bit / 64)] & (1 << (bit % 64)) == 0 { return false }
            first &+= step
        }
        return true
    }

    /// Two independent hashes for double hashing (SplitMix64 finalizer).
    private static func hashes(_ trigram: UInt32) -> (UInt64, UInt64) {
        var z = UInt64(trigram) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (z, (z >> 32) | 1)
    }
}
