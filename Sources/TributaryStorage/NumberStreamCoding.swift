import NIOCore
import TributaryCompression
import TributaryWire

/// How one stream of numbers (one digit run in one column of a mode-3
/// section) is stored; the writer keeps whichever coding deflates smallest:
///
/// ```
/// stream := u8 coding | (codings 2, 3: u8 width 1…8) | varint length | bytes
/// coding 0: varint per number
/// coding 1: zigzag varint per difference to the previous number (0 before the first)
/// coding 2: each number in `width` bytes, big-endian
/// coding 3: byte planes: the most significant byte of every number, then
///           the next byte of every number, … (`width` planes)
/// ```
/// Varints suit small numbers, differences counters and timestamps; fixed
/// widths suit random-looking numbers (ids, addresses, ports), whose
/// varints spend a continuation bit on every byte; planes put the
/// predictable high bytes of numbers of one magnitude next to each other
/// (e.g. the high bytes of 32-bit ids), which deflate turns into runs.
enum NumberStreamCoding: UInt8, CaseIterable {
    case varints = 0
    case differences = 1
    case fixedWidth = 2
    case bytePlanes = 3

    /// Streams of at least this many numbers are compressed in every
    /// coding to choose (the byte entropy misses deflate's matches: choosing
    /// by it left Loghub's value columns 3% larger); smaller ones are estimated.
    static let trialNumbers = 32

    /// The coding that compresses `numbers` smallest with `trial` (a raw
    /// deflater at the chunk's level), or without one, or for short
    /// streams, the smallest by `ByteEntropy`; with its size in bits.
    static func best(for numbers: [UInt64], scratch: inout ByteBuffer, trial: Deflater? = nil) -> (coding: NumberStreamCoding, bits: Int) {
        var best = (coding: NumberStreamCoding.varints, bits: Int.max)
        let width = Self.width(of: numbers)
        var compressed = ByteBuffer()
        for coding in Self.allCases {
            scratch.clear()
            coding.encode(numbers, width: width, into: &scratch)
            let bits: Int
            if let trial, numbers.count >= trialNumbers {
                compressed.clear()
                bits = 8 * trial.compress(scratch, appendingTo: &compressed)
            } else {
                bits = scratch.withUnsafeReadableBytes { ByteEntropy.estimatedBits($0) }
            }
            if bits < best.bits { best = (coding, bits) }
        }
        return best
    }

    /// Appends `numbers` to `out` in the coding `best` chooses.
    static func write(_ numbers: [UInt64], into out: inout ByteBuffer, scratch: inout ByteBuffer, trial: Deflater? = nil) {
        let coding = best(for: numbers, scratch: &scratch, trial: trial).coding
        let width = Self.width(of: numbers)
        scratch.clear()
        coding.encode(numbers, width: width, into: &scratch)
        out.writeInteger(coding.rawValue)
        if coding == .fixedWidth || coding == .bytePlanes { out.writeInteger(UInt8(width)) }
        out.writeWireBytes(scratch)
    }

    /// Bytes needed by the largest number (at least 1).
    static func width(of numbers: [UInt64]) -> Int {
        let largest = numbers.max() ?? 0
        return max(1, (64 - largest.leadingZeroBitCount + 7) / 8)
    }

    func encode(_ numbers: [UInt64], width: Int, into out: inout ByteBuffer) {
        switch self {
        case .varints:
            for number in numbers { out.writeVarint(number) }
        case .differences:
            var previous: UInt64 = 0
            for number in numbers {
                // Wrapping on purpose: the reader adds the difference back the same way.
                out.writeSVarint(Int64(bitPattern: number &- previous))
                previous = number
            }
        case .fixedWidth:
            for number in numbers {
                for byte in stride(from: width - 1, through: 0, by: -1) { out.writeInteger(UInt8(truncatingIfNeeded: number >> (8 * UInt64(byte)))) }
            }
        case .bytePlanes:
            for byte in stride(from: width - 1, through: 0, by: -1) {
                for number in numbers { out.writeInteger(UInt8(truncatingIfNeeded: number >> (8 * UInt64(byte)))) }
            }
        }
    }
}
