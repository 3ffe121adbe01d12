internal import CTributarySnappy

/// Snappy's block format (no framing), as Prometheus remote write and
/// Loki's protobuf push use it, through Debian's `libsnappy`.
///
/// A block starts with its uncompressed length as a varint; decompressing
/// reads that length first and refuses a block that declares more than the
/// caller's limit, so a small hostile body cannot make the receiver
/// allocate gigabytes. Thread-safe (libsnappy keeps no state).
public enum SnappyBlock {
    /// Decompresses `block`, which must declare at most `limit` bytes.
    public static func decompress(_ block: UnsafeRawBufferPointer, limit: Int) throws(SnappyError) -> [UInt8] {
        let declared = try uncompressedLength(block)
        guard declared <= limit else { throw .uncompressedSizeExceedsLimit(declared: declared, limit: limit) }
        guard declared > 0 else {
            return []
        }
        let base = block.baseAddress?.assumingMemoryBound(to: CChar.self)
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: declared) { buffer, count in
            var length = declared
            let status = buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: declared) { out in
                snappy_uncompress(base, block.count, out, &length)
            }
            // libsnappy checks that the output is exactly the declared length.
            if status == SNAPPY_OK, length == declared {
                count = declared
            } else {
                failed = true
                count = 0
            }
        }
        if failed { throw .corruptBlock }
        return output
    }

    public static func decompress(_ block: [UInt8], limit: Int) throws(SnappyError) -> [UInt8] {
        do {
            return try block.withUnsafeBytes { bytes throws(SnappyError) in try decompress(bytes, limit: limit) }
        } catch let error as SnappyError {
            throw error
        } catch {
            throw .corruptBlock
        }
    }

    /// The uncompressed length a block declares in its header (nothing is
    /// decompressed).
    public static func uncompressedLength(_ block: UnsafeRawBufferPointer) throws(SnappyError) -> Int {
        guard let base = block.baseAddress, !block.isEmpty else { throw .corruptBlock }
        var length = 0
        guard snappy_uncompressed_length(base.assumingMemoryBound(to: CChar.self), block.count, &length) == SNAPPY_OK,
              length <= Int.max / 2 else {
            throw .corruptBlock
        }
        return length
    }

    /// Compresses `input` into one snappy block (benchmarks and tests build
    /// the requests Prometheus and Promtail send).
    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let bound = snappy_max_compressed_length(input.count)
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            var length = bound
            let status = buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bound) { out in
                snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count, out, &length)
            }
            precondition(status == SNAPPY_OK, "snappy_compress failed with \(status) although the output has its maximum size")
            count = length
        }
    }

    public static func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { compress($0) }
    }
}
