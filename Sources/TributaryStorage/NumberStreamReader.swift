import NIOCore
import TributaryWire

/// Reads one number stream of a mode-3 section (`NumberStreamCoding`)
/// number by number, in line order. A stream that ends early throws.
struct NumberStreamReader {
    private let coding: NumberStreamCoding
    private let width: Int
    private var bytes: ByteBuffer
    private var previous: UInt64 = 0
    /// Byte planes: numbers read so far, and the numbers the stream holds.
    private var position = 0
    private let planeLength: Int

    init(coding: NumberStreamCoding, width: Int, bytes: ByteBuffer) throws(TemplatedTextError) {
        self.coding = coding
        self.width = width
        self.bytes = bytes
        switch coding {
        case .varints, .differences:
            planeLength = 0
        case .fixedWidth, .bytePlanes:
            guard (1...8).contains(width), bytes.readableBytes % width == 0 else {
                throw .malformed("a fixed-width number stream has a width of \(width) for \(bytes.readableBytes) bytes")
            }
            planeLength = bytes.readableBytes / width
        }
    }

    /// Whether every number was read.
    var isExhausted: Bool {
        coding == .bytePlanes ? position == planeLength : bytes.readableBytes == 0
    }

    mutating func next() throws(TemplatedTextError) -> UInt64 {
        switch coding {
        case .varints:
            do { previous = try bytes.readWireVarint() } catch { throw .malformed("a number stream ends early") }
        case .differences:
            do { previous = previous &+ UInt64(bitPattern: try bytes.readWireSVarint()) } catch { throw .malformed("a number stream ends early") }
        case .fixedWidth:
            guard bytes.readableBytes >= width else { throw .malformed("a number stream ends early") }
            var number: UInt64 = 0
            for _ in 0..<width { number = number << 8 | UInt64(bytes.readInteger(as: UInt8.self)!) }
            previous = number
        case .bytePlanes:
            guard position < planeLength else { throw .malformed("a number stream ends early") }
            var number: UInt64 = 0
            for plane in 0..<width {
                number = number << 8 | UInt64(bytes.getInteger(at: bytes.readerIndex + plane * planeLength + position, as: UInt8.self)!)
            }
            position += 1
            previous = number
        }
        return previous
    }
}
