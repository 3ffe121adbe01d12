/// The raw bytes of a remote-write series' label fields as the key of the
/// `RemoteWriteSeriesCache`: each field's length (4 bytes, little-endian)
/// and bytes, in the order sent. A lookup hashes and compares the fields
/// where they lie in the request, so a known series allocates nothing;
/// only a new series copies its key.
enum RemoteWriteSeriesKey {
    /// A 64-bit hash of the key, eight bytes at a time.
    static func hash(_ bytes: [UInt8], labels: [Range<Int>]) -> UInt64 {
        var digest = PushDigest(seed: "")
        bytes.withUnsafeBytes { all in
            for range in labels {
                digest.add(UInt64(range.count))
                digest.add(UnsafeRawBufferPointer(rebasing: all[range]))
            }
        }
        return digest.value
    }

    /// The key itself (for a series not seen before).
    static func make(_ bytes: [UInt8], labels: [Range<Int>]) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(labels.reduce(0) { $0 + $1.count + 4 })
        for range in labels {
            let count = UInt32(truncatingIfNeeded: range.count)
            key.append(UInt8(truncatingIfNeeded: count))
            key.append(UInt8(truncatingIfNeeded: count >> 8))
            key.append(UInt8(truncatingIfNeeded: count >> 16))
            key.append(UInt8(truncatingIfNeeded: count >> 24))
            key.append(contentsOf: bytes[range])
        }
        return key
    }

    /// Whether `key` is the key of the label fields at `labels` in `bytes`.
    static func matches(_ key: [UInt8], _ bytes: [UInt8], labels: [Range<Int>]) -> Bool {
        key.withUnsafeBytes { stored in
            bytes.withUnsafeBytes { all in
                var offset = 0
                for range in labels {
                    guard offset + 4 + range.count <= stored.count else { return false }
                    let count = UInt32(stored[offset]) | UInt32(stored[offset + 1]) << 8 | UInt32(stored[offset + 2]) << 16 | UInt32(stored[offset + 3]) << 24
                    guard count == UInt32(truncatingIfNeeded: range.count) else { return false }
                    offset += 4
                    guard range.isEmpty || memcmp(stored.baseAddress! + offset, all.baseAddress! + range.lowerBound, range.count) == 0 else { return false }
                    offset += range.count
                }
                return offset == stored.count
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
