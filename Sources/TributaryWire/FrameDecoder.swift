import NIOCore

/// Splits a byte stream into `Frame`s.
///
/// ```
/// +------------------+---------------------+
/// | header, 16 bytes | payload (≤ limit)   |  → Frame
/// +------------------+---------------------+
/// ```
/// Consumes nothing until a frame is whole; refuses an oversized length from
/// the header alone, so at most `limits.maxFrameBytes + 16` bytes are ever
/// buffered. Any `WireError` ends decoding for the connection (the handler
/// fires it through `errorCaught`); bytes left over at EOF are a truncated
/// frame.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = Frame

    public let limits: WireLimits

    public init(limits: WireLimits = .default) {
        self.limits = limits
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Frame.read(from: &buffer, limits: limits) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let declared = (try? FrameHeader.peek(in: buffer, limits: limits))??.payloadLength
            throw WireError.truncated(
                field: "frame at end of stream",
                needed: FrameHeader.size + (declared ?? 0),
                available: buffer.readableBytes)
        }
        return .needMoreData
    }
}
