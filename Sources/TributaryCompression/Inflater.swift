internal import CTributaryShims
internal import CTributaryZlib
import NIOCore

/// A reusable DEFLATE decompressor (zlib-wrapped or raw, see
/// `DeflateFormat`) with a hard output limit.
///
/// Input from peers and files is untrusted, so every call names the most
/// bytes it may produce: a 1 KB stream that would inflate to 1 GB stops with
/// `CompressionError.inflatedSizeExceedsLimit` after at most `limit` bytes of
/// output were allocated. Not thread-safe.
public final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>

    /// The first output allocation when the caller cannot say how large the
    /// result will be; it doubles from there up to the limit.
    private static let initialChunk = 64 * 1024

    public let format: DeflateFormat

    public init(format: DeflateFormat = .zlib) {
        self.format = format
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = ctrib_inflateInit2(stream, format.windowBits)
        precondition(rc == Z_OK, "inflateInit2 failed with \(rc): out of memory or zlib misuse")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates `input`, which must hold exactly one complete stream, and
    /// appends the result to `output`. Returns the number of bytes appended.
    ///
    /// - Parameters:
    ///   - limit: the most bytes the stream may inflate to.
    ///   - expectedSize: the size the sender declared, if any; used only to
    ///     size the first allocation (never trusted beyond `limit`).
    @discardableResult
    public func inflate(
        _ input: UnsafeRawBufferPointer,
        appendingTo output: inout ByteBuffer,
        limit: Int,
        expectedSize: Int? = nil
    ) throws(CompressionError) -> Int {
        precondition(limit >= 0, "inflate limit must not be negative")
        guard input.count <= Int(UInt32.max) else { throw .inflatedSizeExceedsLimit(limit: limit) }
        let rc = inflateReset(stream)
        precondition(rc == Z_OK, "inflateReset failed with \(rc)")
        stream.pointee.next_in = input.baseAddress.map {
            UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
        }
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }

        var produced = 0
        // One extra byte beyond an exact expected size lets zlib finish the
        // stream trailer in the same call without a second allocation.
        var chunk = min(limit, max(1, expectedSize.map { $0 + 1 } ?? Self.initialChunk))
        while true {
            let room = min(chunk, limit - produced)
            var status: Int32 = Z_OK
            if room > 0 {
                produced += output.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { out in
                    stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(room)
                    status = CTributaryZlib.inflate(stream, Z_NO_FLUSH)
                    return room - Int(stream.pointee.avail_out)
                }
            } else {
                // No room left: zlib may still finish the final block (and
                // the Adler-32 trailer) without output; anything else means
                // the limit is exceeded.
                var probe: UInt8 = 0
                try withUnsafeMutablePointer(to: &probe) { pointer throws(CompressionError) in
                    stream.pointee.next_out = pointer
                    stream.pointee.avail_out = 1
                    status = CTributaryZlib.inflate(stream, Z_NO_FLUSH)
                    if stream.pointee.avail_out == 0 { throw .inflatedSizeExceedsLimit(limit: limit) }
                }
            }
            switch status {
            case Z_STREAM_END:
                let trailing = Int(stream.pointee.avail_in)
                guard trailing == 0 else { throw .trailingBytes(count: trailing) }
                return produced
            case Z_OK:
                // Either the output space filled (grow it) or zlib wants more input.
                if stream.pointee.avail_out == 0 {
                    chunk = min(limit, chunk * 2)
                    continue
                }
                if stream.pointee.avail_in == 0 {
                    throw .truncatedStream(consumed: input.count)
                }
            case Z_BUF_ERROR:
                if stream.pointee.avail_in == 0 {
                    throw .truncatedStream(consumed: input.count)
                }
                chunk = min(limit, chunk * 2)
            case Z_DATA_ERROR, Z_NEED_DICT:
                throw .corruptStream(detail: message(default: "invalid deflate data"))
            case Z_MEM_ERROR:
                throw .zlibFailure(code: status, detail: "out of memory")
            default:
                throw .zlibFailure(code: status, detail: message(default: "unexpected return code"))
            }
        }
    }

    /// Inflates the readable bytes of `input` (which is not consumed).
    @discardableResult
    public func inflate(
        _ input: ByteBuffer,
        appendingTo output: inout ByteBuffer,
        limit: Int,
        expectedSize: Int? = nil
    ) throws(CompressionError) -> Int {
        try input.withUnsafeReadableBytes { (bytes) throws(CompressionError) -> Int in
            try inflate(bytes, appendingTo: &output, limit: limit, expectedSize: expectedSize)
        }
    }

    private func message(default fallback: String) -> String {
        guard let cString = stream.pointee.msg else { return fallback }
        return String(cString: cString)
    }
}

@available(*, unavailable)
extension Inflater: Sendable {}
