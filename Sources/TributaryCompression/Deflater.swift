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
        let rc = deflateReset(stream)
        precondition(rc == Z_OK, "deflateReset failed with \(rc)")
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

    /// Compresses the readable bytes of `input` (which is not consumed).
    @discardableResult
    public func compress(_ input: ByteBuffer, appendingTo output: inout ByteBuffer) -> Int {
        input.withUnsafeReadableBytes { compress($0, appendingTo: &output) }
    }
}

@available(*, unavailable)
extension Deflater: Sendable {}
