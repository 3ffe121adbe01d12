import NIOCore

extension Frame {
    /// Appends the whole frame (header and payload) to `buffer`.
    ///
    /// The encoder writes what it is given; validity is the decoder's job, so
    /// tests can build invalid frames with it.
    public func write(into buffer: inout ByteBuffer) {
        let headerIndex = buffer.writerIndex
        buffer.writeRepeatingByte(0, count: FrameHeader.size)
        let payloadIndex = buffer.writerIndex
        writePayload(into: &buffer)
        let length = buffer.writerIndex - payloadIndex
        precondition(length <= Int(UInt32.max), "frame payload over 4 GiB")
        let checksum = buffer.withUnsafeReadableBytes { bytes in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[(payloadIndex - buffer.readerIndex)...]))
        }
        var header = ByteBuffer()
        FrameHeader(type: type, flags: flags, payloadLength: length, checksum: checksum).write(into: &header)
        buffer.setBuffer(header, at: headerIndex)
    }

    /// The frame as a new buffer.
    public func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: FrameHeader.size + estimatedPayloadSize)
        write(into: &buffer)
        return buffer
    }

    private var estimatedPayloadSize: Int {
        switch self {
        case .batch(let batch): return 64 + batch.agentID.utf8.count + batch.body.readableBytes
        case .peer(let frame): return frame.payload.readableBytes
        case .config(let offer): return 32 + offer.group.utf8.count + offer.body.utf8.count
        default: return 128
        }
    }

    private func writePayload(into buffer: inout ByteBuffer) {
        switch self {
        case .hello(let hello):
            buffer.writeInteger(UInt8(truncatingIfNeeded: hello.versions.count))
            buffer.writeBytes(hello.versions)
            buffer.writeWireString(hello.agentID)
            buffer.writeWireBytes(hello.token)
            buffer.writeInteger(hello.capabilities.rawValue)
            buffer.writeWireString(hello.software)
            buffer.writeWireString(hello.host)
        case .welcome(let welcome):
            buffer.writeInteger(welcome.version)
            buffer.writeInteger(welcome.capabilities.rawValue)
            buffer.writeWireString(welcome.nodeID)
            buffer.writeInteger(welcome.maxFrameBytes)
            buffer.writeInteger(welcome.maxBatchRecords)
            buffer.writeInteger(welcome.maxBatchRawBytes)
            buffer.writeInteger(welcome.window)
            buffer.writeInteger(welcome.idleTimeoutMilliseconds)
        case .reject(let reject):
            buffer.writeInteger(reject.code.rawValue)
            buffer.writeInteger(reject.retryAfterMilliseconds)
            buffer.writeWireString(reject.reason)
        case .batch(let batch):
            buffer.writeWireString(batch.agentID)
            buffer.writeInteger(batch.sequence)
            buffer.writeVarint(batch.recordCount)
            buffer.writeVarint(batch.rawLength)
            buffer.writeImmutableBuffer(batch.body)
        case .ack(let ack):
            buffer.writeInteger(ack.cumulative)
            buffer.writeVarint(ack.selective.count)
            for sequence in ack.selective { buffer.writeInteger(sequence) }
        case .nack(let nack):
            buffer.writeInteger(nack.sequence)
            buffer.writeInteger(nack.disposition.rawValue)
            buffer.writeInteger(nack.code.rawValue)
            buffer.writeWireString(nack.reason)
        case .busy(let busy):
            buffer.writeInteger(busy.sequence)
            buffer.writeInteger(busy.retryAfterMilliseconds)
            buffer.writeWireString(busy.reason)
        case .ping(let nonce), .pong(let nonce):
            buffer.writeInteger(nonce)
        case .goAway(let goAway):
            buffer.writeInteger(goAway.code.rawValue)
            buffer.writeWireString(goAway.reason)
            buffer.writeVarint(goAway.alternatives.count)
            for address in goAway.alternatives { buffer.writeWireString(address) }
        case .report(let report):
            report.write(into: &buffer)
        case .peer(let frame):
            buffer.writeImmutableBuffer(frame.payload)
        case .configRequest, .config, .configChanged, .configStatus:
            writeConfigPayload(into: &buffer)
        }
    }
}
