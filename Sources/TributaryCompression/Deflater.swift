internal import CTributaryShims
internal import CTributaryZlib
import NIOCore

/// A reusable DEFLATE compressor (zlib-wrapped or raw, see `DeflateFormat`).
///
/// One `Deflater` owns one `z_stream` for its whole life and resets it per
/// call, so compressing many batches allocates zlib's ~256 KiB of state once.
/// Not thread-safe: give each task or connection its own.
public final class Deflater {
    private let stream: UnsafeMutablePointer<z_stream>
    public let level: CompressionLevel
    public let format: DeflateFormat
    /// The strategy the stream was left with (`compress(_:blocks:)` changes it).
    private var strategy = DeflateStrategy.standard

    public init(level: CompressionLevel = .fastest, format: DeflateFormat = .zlib) {
        self.level = level
        self.format = format
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // memLevel 8: zlib's default.
        let rc = ctrib_deflateInit2(stream, level.rawValue, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY)
        precondition(rc == Z_OK, "deflateInit2 failed with \(rc): out of memory or zlib misuse")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The most bytes `compress` can append for `inputCount` input bytes.
    public func maximumCompressedSize(for inputCount: Int) -> Int {
        Int(deflateBound(stream, uLong(inputCount)))
    }

    /// Compresses `input` as one complete stream and appends it to `output`.
    /// Returns the number of compressed bytes appended.
    @discardableResult
    public func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout ByteBuffer) -> Int {
        precondition(input.count <= Int(UInt32.max), "a single zlib input is limited to 4 GiB")
        reset(strategy: .standard)
        let bound = maximumCompressedSize(for: input.count)
        return output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { out in
            stream.pointee.next_in = input.baseAddress.map {
                UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
            }
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(out.count)
            let rc = deflate(stream, Z_FINISH)
            // deflateBound guarantees room for the whole stream in one call.
            precondition(rc == Z_STREAM_END, "deflate with a deflateBound-sized buffer returned \(rc)")
            let written = out.count - Int(stream.pointee.avail_out)
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
            return written
        }
    }

    /// One block of `compress(_:blocks:)`: the input up to `end` (an offset
    /// into the input's readable bytes), compressed with `strategy`.
    public struct Block: Equatable, Sendable {
        public var end: Int
        public var strategy: DeflateStrategy

        public init(end: Int, strategy: DeflateStrategy = .standard) {
            self.end = end
            self.strategy = strategy
        }
    }

    /// Compresses `input` as one complete stream, ending a deflate block at
    /// each of `blocks` (`Z_BLOCK`, no bytes of padding): every block gets
    /// Huffman codes of its own, so columns holding different kinds of
    /// bytes stop sharing one table, while matches still reach back into
    /// earlier blocks. Block ends must increase; input after the last one
    /// is one more block. Returns the bytes appended.
    @discardableResult
    public func compress(_ input: ByteBuffer, blocks: [Block], appendingTo output: inout ByteBuffer) -> Int {
        input.withUnsafeReadableBytes { bytes in
            precondition(bytes.count <= Int(UInt32.max), "a single zlib input is limited to 4 GiB")
            reset(strategy: blocks.first?.strategy ?? .standard)
            // Each forced block may add a few bytes beyond one stream's bound.
            let bound = maximumCompressedSize(for: bytes.count) + 8 * (blocks.count + 1)
            return output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { out in
                stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(out.count)
                var start = 0
                for (index, block) in (blocks + [Block(end: bytes.count, strategy: blocks.last?.strategy ?? .standard)]).enumerated() {
                    precondition(block.end >= start && block.end <= bytes.count, "deflate block ends must increase within the input")
                    let last = index == blocks.count
                    // zlib refuses a second Z_BLOCK without input in between.
                    if block.end == start && !last { continue }
                    if block.strategy != strategy {
                        // Input so far is all consumed, so this only switches the strategy.
                        let rc = deflateParams(stream, level.rawValue, block.strategy.zlibValue)
                        precondition(rc == Z_OK, "deflateParams failed with \(rc)")
                        strategy = block.strategy
                    }
                    stream.pointee.next_in = bytes.baseAddress.map {
                        UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self) + start)
                    }
                    stream.pointee.avail_in = uInt(block.end - start)
                    let rc = deflate(stream, last ? Z_FINISH : Z_BLOCK)
                    precondition(rc == (last ? Z_STREAM_END : Z_OK) && stream.pointee.avail_in == 0,
                                 "deflate with a bound-sized buffer returned \(rc)")
                    start = block.end
                }
                let written = out.count - Int(stream.pointee.avail_out)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                return written
            }
        }
    }

    /// Resets the stream for a new input, with `strategy`.
    private func reset(strategy wanted: DeflateStrategy) {
        let rc = deflateReset(stream)
        precondition(rc == Z_OK, "deflateReset failed with \(rc)")
        if wanted != strategy {
            // Nothing was given to the stream since the reset: only the strategy changes.
            let rc = deflateParams(stream, level.rawValue, wanted.zlibValue)
            precondition(rc == Z_OK, "deflateParams failed with \(rc)")
            strategy = wanted
        }
    }

    /// Compresses the readable bytes of `input` (which is not consumed).
    @discardableResult
    public func compress(_ input: ByteBuffer, appendingTo output: inout ByteBuffer) -> Int {
        input.withUnsafeReadableBytes { compress($0, appendingTo: &output) }
    }
}

@available(*, unavailable)
extension Deflater: Sendable {}
