import NIOCore

/// Writes `Frame`s to the byte stream.
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = Frame

    public init() {}

    public func encode(data: Frame, out: inout ByteBuffer) throws {
        data.write(into: &out)
    }
}
