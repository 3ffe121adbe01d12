import NIOCore

extension Frame {
    /// Reads the next whole frame from `buffer`, consuming it; returns nil and
    /// consumes nothing while the frame is incomplete.
    ///
    /// Nothing is buffered on the strength of a bad header: magic, version,
    /// type, flags and the length limit are checked as soon as the 16 header
    /// bytes are present (bad magic as soon as 4 are).
    public static func read(from buffer: inout ByteBuffer, limits: WireLimits = .default) throws(WireError) -> Frame? {
        guard let header = try FrameHeader.peek(in: buffer, limits: limits) else { return nil }
        guard buffer.readableBytes >= FrameHeader.size + header.payloadLength else { return nil }
        buffer.moveReaderIndex(forwardBy: FrameHeader.size)
        let payload = buffer.readSlice(length: header.payloadLength)!
        return try decode(header: header, payload: payload, limits: limits)
    }
}
