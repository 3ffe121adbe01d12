#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A quick estimate of what deflate's Huffman codes make of some bytes:
/// their order-0 entropy plus a few bits per distinct byte for the code
/// table. It ignores matches, so it is for choosing between codings of
/// the same values (which rarely differ in matches), not for sizes.
enum ByteEntropy {
    static func estimatedBits(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes { counts[Int(byte)] += 1 }
        let total = Double(bytes.count)
        var bits = 0.0
        for count in counts where count > 0 {
            bits += Double(count) * log2(total / Double(count)) + 5
        }
        return Int(bits.rounded(.up))
    }
}
