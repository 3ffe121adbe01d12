import TributaryModel

/// A metric series prepared for `MetricBatchEncoder`: its label pairs and
/// metric name as the batch's table strings, each with a hash computed
/// once. Pushes send the same series in every request, so a caller keeps
/// these (the remote-write series cache does), and a batch interns a
/// series' strings by comparing hashes instead of hashing text again.
public struct BatchSeries: Sendable {
    /// Distinct for every series a caller prepares, so a series that
    /// repeats in one batch gets one label set; 0 never matches another.
    public let id: UInt64
    /// The label names and values alternating, in the labels' (ascending)
    /// order, then the metric name: UTF-8 bytes as the table holds them.
    let strings: [[UInt8]]
    /// `BatchSeries.hash` of each of `strings`.
    let hashes: [UInt64]

    public init(name: String, labels: Labels, id: UInt64) {
        var strings: [[UInt8]] = []
        strings.reserveCapacity(labels.count * 2 + 1)
        for label in labels {
            strings.append(Array(label.name.utf8))
            strings.append(Array(label.value.utf8))
        }
        strings.append(Array(name.utf8))
        self.id = id
        self.strings = strings
        self.hashes = strings.map(Self.hash)
    }

    /// Label pairs (the metric name is not one).
    public var labelCount: Int { strings.count / 2 }

    /// Bytes held, for callers that bound their memory.
    public var byteCount: Int { strings.reduce(0) { $0 + $1.count + 24 } }

    /// FNV-1a, 64 bits. Equal hashes are always confirmed by comparing the
    /// bytes, so a collision costs a repeated table entry, never a wrong one.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash ^ UInt64(bytes.count)
    }
}
