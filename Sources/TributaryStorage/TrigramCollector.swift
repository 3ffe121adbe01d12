/// The distinct byte trigrams of a chunk, gathered at about a nanosecond a
/// byte: a 2 MiB bitmap over all 2^24 trigrams marks those seen, and a list
/// keeps them for building the chunk's `TrigramFilter` and clearing the
/// bitmap again (so the cost per chunk follows its trigrams, not 2^24).
struct TrigramCollector {
    private var seen = [UInt64](repeating: 0, count: (1 << 24) / 64)
    private var distinct: [UInt32] = []

    mutating func collect(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 3 else { return }
        seen.withUnsafeMutableBufferPointer { bitmap in
            var trigram = UInt32(bytes[0]) << 8 | UInt32(bytes[1])
            for index in 2..<bytes.count {
                trigram = (trigram << 8 | UInt32(bytes[index])) & 0xFF_FFFF
                let word = Int(trigram >> 6)
                let bit: UInt64 = 1 << UInt64(trigram & 63)
                if bitmap[word] & bit == 0 {
                    bitmap[word] |= bit
                    distinct.append(trigram)
                }
            }
        }
    }

    /// The filter over everything collected since the last call; resets.
    mutating func takeFilter() -> TrigramFilter {
        let filter = TrigramFilter(trigrams: distinct)
        seen.withUnsafeMutableBufferPointer { bitmap in
            for trigram in distinct { bitmap[Int(trigram >> 6)] = 0 }
        }
        distinct.removeAll(keepingCapacity: true)
        return filter
    }
}
