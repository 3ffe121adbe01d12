import NIOCore

extension Frame {
    /// The smallest encoded record (an EVENT: kind, ts delta, label set,
    /// type index, empty message), used to bound record counts before
    /// anything is inflated or reserved.
    static let minimumRecordBytes = 5

    /// Decodes the payload of a frame whose header was already validated.
    /// Checks the payload's CRC32C, then every field and limit of its type.
    public static func decode(header: FrameHeader, payload: ByteBuffer, limits: WireLimits = .default) throws(WireError) -> Frame {
        guard payload.readableBytes == header.payloadLength else {
            throw .truncated(field: "\(header.type) payload", needed: header.payloadLength, available: payload.readableBytes)
        }
        let computed = payload.withUnsafeReadableBytes { CRC32C.checksum($0) }
        guard computed == header.checksum else {
            throw .checksumMismatch(type: header.type, declared: header.checksum, computed: computed)
        }
        if header.type.isPeer {
            return .peer(PeerFrame(type: header.type, flags: header.flags, payload: payload))
        }
        return try payload.withUnsafeReadableBytes { (bytes) throws(WireError) -> Frame in
            var reader = WireReader(bytes)
            let frame = try decodeFields(header: header, reader: &reader, payload: payload, limits: limits)
            try reader.expectEnd("\(header.type) payload")
            return frame
        }
    }

    private static func decodeFields(
        header: FrameHeader, reader: inout WireReader, payload: ByteBuffer, limits: WireLimits
    ) throws(WireError) -> Frame {
        switch header.type {
        case .hello:
            let count = Int(try reader.readU8("HELLO.versions count"))
            guard count >= 1 else {
                throw .invalidValue(field: "HELLO.versions", reason: "lists no versions")
            }
            guard count <= limits.maxVersions else {
                throw .limitExceeded(field: "HELLO.versions count", value: UInt64(count), limit: limits.maxVersions)
            }
            var versions: [UInt8] = []
            for index in 0..<count { versions.append(try reader.readU8("HELLO.versions[\(index)]")) }
            let agentID = try readIdentifier(&reader, "HELLO.agent_id", limits: limits)
            let token = try reader.readByteArray("HELLO.token", limit: limits.maxTokenBytes)
            let capabilities = Capabilities(rawValue: try reader.readU32("HELLO.capabilities"))
            let software = try reader.readString("HELLO.software", limit: limits.maxIdentifierBytes)
            let host = try reader.readString("HELLO.host", limit: limits.maxHostBytes)
            return .hello(Hello(versions: versions, agentID: agentID, token: token, capabilities: capabilities, software: software, host: host))

        case .welcome:
            let version = try reader.readU8("WELCOME.version")
            let capabilities = Capabilities(rawValue: try reader.readU32("WELCOME.capabilities"))
            let nodeID = try readIdentifier(&reader, "WELCOME.node_id", limits: limits)
            let maxFrameBytes = try reader.readU32("WELCOME.max_frame_bytes")
            let maxBatchRecords = try reader.readU32("WELCOME.max_batch_records")
            let maxBatchRawBytes = try reader.readU32("WELCOME.max_batch_raw_bytes")
            let window = try reader.readU16("WELCOME.window")
            let idleTimeout = try reader.readU32("WELCOME.idle_timeout_ms")
            try requireAtLeast(UInt64(maxFrameBytes), 65_536, "WELCOME.max_frame_bytes")
            try requireAtLeast(UInt64(maxBatchRecords), 1, "WELCOME.max_batch_records")
            try requireAtLeast(UInt64(maxBatchRawBytes), 65_536, "WELCOME.max_batch_raw_bytes")
            try requireAtLeast(UInt64(window), 1, "WELCOME.window")
            return .welcome(Welcome(
                version: version, capabilities: capabilities, nodeID: nodeID, maxFrameBytes: maxFrameBytes,
                maxBatchRecords: maxBatchRecords, maxBatchRawBytes: maxBatchRawBytes, window: window,
                idleTimeoutMilliseconds: idleTimeout))

        case .reject:
            let code = Reject.Code(rawValue: try reader.readU16("REJECT.code"))
            let retryAfter = try reader.readU32("REJECT.retry_after_ms")
            let reason = try reader.readString("REJECT.reason", limit: limits.maxReasonBytes)
            return .reject(Reject(code: code, retryAfterMilliseconds: retryAfter, reason: reason))

        case .batch:
            return .batch(try decodeBatch(header: header, reader: &reader, payload: payload, limits: limits))

        case .ack:
            let cumulative = try reader.readU64("ACK.cumulative")
            let count = try reader.readCount("ACK.selective count", limit: Int(UInt16.max), minimumItemBytes: 8)
            var selective: [UInt64] = []
            selective.reserveCapacity(count)
            for index in 0..<count { selective.append(try reader.readU64("ACK.selective[\(index)]")) }
            return .ack(Ack(cumulative: cumulative, selective: selective))

        case .nack:
            let sequence = try reader.readU64("NACK.sequence")
            let rawDisposition = try reader.readU8("NACK.disposition")
            guard let disposition = Nack.Disposition(rawValue: rawDisposition) else {
                throw .invalidValue(field: "NACK.disposition", reason: "is \(rawDisposition); expected 0 (retry) or 1 (permanent)")
            }
            let code = Nack.Code(rawValue: try reader.readU16("NACK.code"))
            let reason = try reader.readString("NACK.reason", limit: limits.maxReasonBytes)
            return .nack(Nack(sequence: sequence, disposition: disposition, code: code, reason: reason))

        case .busy:
            let sequence = try reader.readU64("BUSY.sequence")
            let retryAfter = try reader.readU32("BUSY.retry_after_ms")
            let reason = try reader.readString("BUSY.reason", limit: limits.maxReasonBytes)
            return .busy(Busy(sequence: sequence, retryAfterMilliseconds: retryAfter, reason: reason))

        case .ping:
            return .ping(nonce: try reader.readU64("PING.nonce"))

        case .pong:
            return .pong(nonce: try reader.readU64("PONG.nonce"))

        case .goAway:
            let code = GoAway.Code(rawValue: try reader.readU16("GOAWAY.code"))
            let reason = try reader.readString("GOAWAY.reason", limit: limits.maxReasonBytes)
            let count = try reader.readCount("GOAWAY.alternatives count", limit: limits.maxAlternatives, minimumItemBytes: 2)
            var alternatives: [String] = []
            for index in 0..<count {
                let address = try reader.readString("GOAWAY.alternatives[\(index)]", limit: limits.maxHostBytes)
                guard !address.isEmpty else {
                    throw .invalidValue(field: "GOAWAY.alternatives[\(index)]", reason: "is empty; expected host:port")
                }
                alternatives.append(address)
            }
            return .goAway(GoAway(code: code, reason: reason, alternatives: alternatives))

        case .configRequest, .config, .configChanged, .configStatus:
            return try decodeConfig(header.type, reader: &reader, limits: limits)
        case .report:
            return .report(try AgentReport.decode(&reader, limits: limits))

        default:
            // FrameHeader.peek admits only known types; peer types return early.
            throw .unknownFrameType(header.type.rawValue)
        }
    }

    private static func decodeBatch(
        header: FrameHeader, reader: inout WireReader, payload: ByteBuffer, limits: WireLimits
    ) throws(WireError) -> Batch {
        let agentID = try readIdentifier(&reader, "BATCH.agent_id", limits: limits)
        let sequence = try reader.readU64("BATCH.sequence")
        guard sequence >= 1 else {
            throw .invalidValue(field: "BATCH.sequence", reason: "is 0; sequences start at 1")
        }
        let recordCount = try reader.readVarint("BATCH.record_count")
        guard recordCount >= 1 else {
            throw .invalidValue(field: "BATCH.record_count", reason: "is 0; a batch holds at least one record")
        }
        guard recordCount <= UInt64(limits.maxBatchRecords) else {
            throw .limitExceeded(field: "BATCH.record_count", value: recordCount, limit: limits.maxBatchRecords)
        }
        let rawLength = try reader.readVarint("BATCH.raw_length")
        guard rawLength <= UInt64(limits.maxBatchRawBytes) else {
            throw .limitExceeded(field: "BATCH.raw_length", value: rawLength, limit: limits.maxBatchRawBytes)
        }
        guard recordCount * UInt64(minimumRecordBytes) <= rawLength else {
            throw .limitExceeded(
                field: "BATCH.record_count (more records than a \(rawLength)-byte body can hold)",
                value: recordCount, limit: Int(rawLength) / minimumRecordBytes)
        }
        let compressed = header.flags.contains(.compressed)
        let bodyLength = reader.remaining
        if !compressed && bodyLength != Int(rawLength) {
            if bodyLength < Int(rawLength) {
                throw .truncated(field: "BATCH.body", needed: Int(rawLength), available: bodyLength)
            }
            throw .trailingBytes(field: "BATCH.body of raw_length \(rawLength)", count: bodyLength - Int(rawLength))
        }
        let body = payload.getSlice(at: payload.readerIndex + reader.offset, length: bodyLength)!
        try reader.skip(bodyLength)
        return Batch(
            agentID: agentID, sequence: sequence, recordCount: Int(recordCount), rawLength: Int(rawLength),
            isCompressed: compressed, body: body)
    }

    private static func readIdentifier(_ reader: inout WireReader, _ field: String, limits: WireLimits) throws(WireError) -> String {
        let id = try reader.readString(field, limit: limits.maxIdentifierBytes)
        guard Hello.isValidIdentifier(id, limit: limits.maxIdentifierBytes) else {
            throw .invalidValue(field: field, reason: "\"\(id)\" must be 1–\(limits.maxIdentifierBytes) printable ASCII characters without spaces")
        }
        return id
    }

    private static func requireAtLeast(_ value: UInt64, _ minimum: UInt64, _ field: String) throws(WireError) {
        guard value >= minimum else {
            throw .invalidValue(field: field, reason: "is \(value); must be at least \(minimum)")
        }
    }
}
