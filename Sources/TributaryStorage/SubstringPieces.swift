#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The whitespace-free pieces of substrings a line must contain, for
/// choosing which lines of a templated chunk to rebuild. A line holding a
/// substring holds each of its pieces, and a piece (having no whitespace)
/// lies inside one token of the line: inside a template literal, or a
/// variable's prefix and value. So a line whose tokens do not hold every
/// piece cannot match and is not rebuilt; one whose tokens do is only a
/// candidate (the caller still tests the rebuilt line). At most 64 pieces
/// are used (a weaker test, never a wrong one).
struct SubstringPieces {
    let pieces: [[UInt8]]
    /// One bit per piece.
    let all: UInt64

    /// Nil when the substrings have no piece (every line is a candidate).
    init?(substrings: [[UInt8]]) {
        var pieces: [[UInt8]] = []
        for substring in substrings {
            for piece in substring.split(whereSeparator: { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }) where !pieces.contains(Array(piece)) {
                pieces.append(Array(piece))
            }
        }
        guard !pieces.isEmpty else { return nil }
        self.pieces = Array(pieces.prefix(64))
        self.all = self.pieces.count == 64 ? .max : (1 << UInt64(self.pieces.count)) - 1
    }

    /// The pieces found in `bytes`.
    func mask(in bytes: UnsafeRawBufferPointer) -> UInt64 {
        var found: UInt64 = 0
        for (index, piece) in pieces.enumerated() where Self.contains(bytes, piece) {
            found |= 1 << UInt64(index)
        }
        return found
    }

    func mask(in buffer: ByteBuffer) -> UInt64 {
        buffer.withUnsafeReadableBytes { mask(in: $0) }
    }

    /// Pieces that may begin inside a variable's literal `prefix` and end
    /// inside its value: such a variable is taken to hold them (rare:
    /// prefixes are short `key=` words).
    func spanning(prefix: ByteBuffer) -> UInt64 {
        let prefix = Array(prefix.readableBytesView)
        guard !prefix.isEmpty else { return 0 }
        var found: UInt64 = 0
        for (index, piece) in pieces.enumerated() {
            for overlap in 1..<max(1, min(prefix.count + 1, piece.count)) where prefix.suffix(overlap).elementsEqual(piece.prefix(overlap)) {
                found |= 1 << UInt64(index)
                break
            }
        }
        return found
    }

    /// memchr for the first byte, memcmp for the rest (pieces are never empty).
    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, var start = haystack.baseAddress else { return false }
        return needle.withUnsafeBytes { pattern -> Bool in
            let length = pattern.count
            var remaining = haystack.count
            while remaining >= length {
                guard let hit = memchr(start, Int32(pattern[0]), remaining - length + 1) else { return false }
                if memcmp(hit, pattern.baseAddress!, length) == 0 { return true }
                let skipped = start.distance(to: UnsafeRawPointer(hit)) + 1
                start += skipped
                remaining -= skipped
            }
            return false
        }
    }
}
