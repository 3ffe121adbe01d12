import NIOCore
import TributaryModel
import TributaryStorage
import TributaryWire

/// Payload layouts (`proto/PROTOCOL.md` section 11); integers big-endian,
/// `string`/`varint` as in section 2, `key` = `string tenant | i64 start |
/// u64 span | u16 shard | u16 shards`, `batch` = a whole BATCH frame
/// (header included) as `bytes`.
extension PeerMessage {
    /// Longest text field (ids, hashes, queries, reasons) accepted.
    static let maxText = 64 * 1024
    /// Most partitions one request may name.
    static let maxPartitions = 1_000_000

    public var frame: PeerFrame {
        var buffer = ByteBuffer()
        let type: FrameType
        switch self {
        case .hello(let hello), .welcome(let hello):
            if case .hello = self { type = Self.helloType } else { type = Self.welcomeType }
            buffer.writeWireString(hello.nodeID)
            buffer.writeWireString(hello.topologyHash)
            buffer.writeWireString(hello.software)
            if !hello.credentialsHash.isEmpty { buffer.writeWireString(hello.credentialsHash) }
        case .replicate(let id, let hash, let tenant, let batch, let parts):
            type = Self.replicateType
            buffer.writeInteger(id)
            buffer.writeWireString(hash)
            buffer.writeWireString(tenant)
            Self.write(batch, into: &buffer)
            buffer.writeVarint(parts.count)
            for part in parts {
                Self.write(part.key, into: &buffer)
                buffer.writeInteger(part.minTimestamp)
                buffer.writeInteger(part.maxTimestamp)
                Self.write(part.logStreams, into: &buffer)
                Self.write(part.metricStreams, into: &buffer)
            }
        case .replicated(let id, let status, let detail):
            type = Self.replicatedType
            buffer.writeInteger(id)
            buffer.writeInteger(status.rawValue)
            buffer.writeWireString(detail)
        case .queryLogs(let id, let query):
            type = Self.queryLogsType
            buffer.writeInteger(id)
            buffer.writeWireString(query.topologyHash)
            buffer.writeWireString(query.tenant)
            buffer.writeWireString(query.query)
            buffer.writeInteger(query.start)
            buffer.writeInteger(query.end)
            buffer.writeInteger(UInt32(clamping: query.limit))
            buffer.writeInteger(UInt8(query.forward ? 1 : 0))
            Self.write(query.partitions, into: &buffer)
        case .records(let id, let page):
            type = Self.recordsType
            buffer.writeInteger(id)
            buffer.writeInteger(UInt8((page.more ? 1 : 0) | (page.error != nil ? 2 : 0) | (page.batch != nil ? 4 : 0)))
            if let error = page.error { buffer.writeWireString(error) }
            buffer.writeVarint(page.warnings.count)
            for warning in page.warnings { buffer.writeWireString(warning) }
            if let batch = page.batch { Self.write(batch, into: &buffer) }
        case .listPartitions(let id):
            type = Self.listPartitionsType
            buffer.writeInteger(id)
        case .hints(let id):
            type = Self.hintsType
            buffer.writeInteger(id)
        case .partitionList(let id, let hints, let summaries):
            type = Self.partitionListType
            buffer.writeInteger(id)
            buffer.writeVarint(UInt64(max(0, hints)))
            buffer.writeVarint(summaries.count)
            for summary in summaries {
                Self.write(summary.key, into: &buffer)
                buffer.writeInteger(UInt8(summary.sealed ? 1 : 0))
                buffer.writeVarint(UInt64(max(0, summary.records)))
                buffer.writeWireString(summary.digest)
            }
        case .fetch(let id, let hash, let key):
            type = Self.fetchType
            buffer.writeInteger(id)
            buffer.writeWireString(hash)
            Self.write(key, into: &buffer)
        case .querySeries(let id, let query):
            type = Self.querySeriesType
            buffer.writeInteger(id)
            buffer.writeWireString(query.topologyHash)
            buffer.writeWireString(query.tenant)
            buffer.writeWireString(query.query)
            buffer.writeInteger(query.from)
            buffer.writeInteger(query.to)
            Self.write(query.partitions, into: &buffer)
        case .queryLogRange(let id, let query):
            type = Self.queryLogRangeType
            buffer.writeInteger(id)
            buffer.writeWireString(query.topologyHash)
            buffer.writeWireString(query.tenant)
            buffer.writeWireString(query.query)
            buffer.writeInteger(query.start)
            buffer.writeInteger(query.end)
            buffer.writeInteger(query.step)
            Self.write(query.partitions, into: &buffer)
        }
        return PeerFrame(type: type, payload: buffer)
    }

    /// Decodes a node-to-node frame; a type this build does not know, or a
    /// payload that does not parse, is a `WireError` naming the field.
    public init(_ frame: PeerFrame, limits: WireLimits = .default) throws(WireError) {
        var buffer = frame.payload
        func u64(_ field: String) throws(WireError) -> UInt64 {
            guard let value = buffer.readInteger(as: UInt64.self) else { throw .truncated(field: field, needed: 8, available: buffer.readableBytes) }
            return value
        }
        func i64(_ field: String) throws(WireError) -> Int64 { Int64(bitPattern: try u64(field)) }
        func u8(_ field: String) throws(WireError) -> UInt8 {
            guard let value = buffer.readInteger(as: UInt8.self) else { throw .truncated(field: field, needed: 1, available: 0) }
            return value
        }
        func text() throws(WireError) -> String { try buffer.readWireString(limit: Self.maxText) }
        switch frame.type {
        case Self.helloType, Self.welcomeType:
            var hello = PeerHello(nodeID: try text(), topologyHash: try text(), software: try text())
            // Added later, optional: older nodes send nothing after `software`.
            if buffer.readableBytes > 0 { hello.credentialsHash = try text() }
            self = frame.type == Self.helloType ? .hello(hello) : .welcome(hello)
        case Self.replicateType:
            let id = try u64("REPLICATE.request_id")
            let hash = try text()
            let tenant = try text()
            let batch = try Self.readBatch(&buffer, limits: limits)
            let count = try buffer.readWireVarint()
            guard count <= UInt64(buffer.readableBytes / 38) else {
                throw .limitExceeded(field: "REPLICATE.parts", value: count, limit: buffer.readableBytes / 38)
            }
            var parts: [BatchPart] = []
            for _ in 0..<count {
                let key = try Self.readKey(&buffer)
                let minimum = try i64("REPLICATE.part.min_timestamp")
                let maximum = try i64("REPLICATE.part.max_timestamp")
                parts.append(BatchPart(key: key, minTimestamp: minimum, maxTimestamp: maximum,
                                       logStreams: try Self.readLabelSets(&buffer), metricStreams: try Self.readLabelSets(&buffer)))
            }
            self = .replicate(requestID: id, topologyHash: hash, tenant: tenant, batch: batch, parts: parts)
        case Self.replicatedType:
            let id = try u64("REPLICATED.request_id")
            let raw = try u8("REPLICATED.status")
            guard let status = ReplicaStatus(rawValue: raw) else { throw .invalidValue(field: "REPLICATED.status", reason: "unknown status \(raw)") }
            self = .replicated(requestID: id, status: status, detail: try text())
        case Self.queryLogsType:
            let id = try u64("QUERY_LOGS.request_id")
            let hash = try text()
            let tenant = try text()
            let query = try text()
            let start = try i64("QUERY_LOGS.start")
            let end = try i64("QUERY_LOGS.end")
            guard let limit = buffer.readInteger(as: UInt32.self) else { throw .truncated(field: "QUERY_LOGS.limit", needed: 4, available: buffer.readableBytes) }
            let direction = try u8("QUERY_LOGS.direction")
            guard direction <= 1 else { throw .invalidValue(field: "QUERY_LOGS.direction", reason: "\(direction) is neither 0 (newest first) nor 1 (oldest first)") }
            let forward = direction == 1
            self = .queryLogs(requestID: id, PeerLogQuery(topologyHash: hash, tenant: tenant, query: query, start: start, end: end,
                                                          limit: Int(limit), forward: forward, partitions: try Self.readKeys(&buffer)))
        case Self.recordsType:
            let id = try u64("RECORDS.request_id")
            let flags = try u8("RECORDS.flags")
            var page = RecordsPage(more: flags & 1 != 0)
            if flags & 2 != 0 { page.error = try text() }
            let count = try buffer.readWireVarint()
            guard count <= UInt64(buffer.readableBytes) else { throw .limitExceeded(field: "RECORDS.warnings", value: count, limit: buffer.readableBytes) }
            for _ in 0..<count { page.warnings.append(try text()) }
            if flags & 4 != 0 { page.batch = try Self.readBatch(&buffer, limits: limits) }
            self = .records(requestID: id, page)
        case Self.listPartitionsType:
            self = .listPartitions(requestID: try u64("PARTITIONS.request_id"))
        case Self.hintsType:
            self = .hints(requestID: try u64("HINTS.request_id"))
        case Self.partitionListType:
            let id = try u64("PARTITION_LIST.request_id")
            let hints = Int(clamping: try buffer.readWireVarint())
            let count = try buffer.readWireVarint()
            guard count <= UInt64(buffer.readableBytes / 24) else { throw .limitExceeded(field: "PARTITION_LIST.count", value: count, limit: buffer.readableBytes / 24) }
            var summaries: [PartitionSummary] = []
            for _ in 0..<count {
                let key = try Self.readKey(&buffer)
                let sealed = try u8("PARTITION_LIST.sealed") == 1
                let records = try buffer.readWireVarint()
                summaries.append(PartitionSummary(key: key, sealed: sealed, records: Int(clamping: records), digest: try text()))
            }
            self = .partitionList(requestID: id, hintsForAsker: hints, summaries)
        case Self.fetchType:
            self = .fetch(requestID: try u64("FETCH.request_id"), topologyHash: try text(), key: try Self.readKey(&buffer))
        case Self.querySeriesType:
            let id = try u64("QUERY_SERIES.request_id")
            let hash = try text()
            let tenant = try text()
            let queryText = try text()
            let from = try i64("QUERY_SERIES.from")
            let to = try i64("QUERY_SERIES.to")
            self = .querySeries(requestID: id, PeerSeriesQuery(topologyHash: hash, tenant: tenant, query: queryText, from: from, to: to,
                                                               partitions: try Self.readKeys(&buffer)))
        case Self.queryLogRangeType:
            let id = try u64("QUERY_LOG_RANGE.request_id")
            let hash = try text()
            let tenant = try text()
            let queryText = try text()
            let start = try i64("QUERY_LOG_RANGE.start")
            let end = try i64("QUERY_LOG_RANGE.end")
            let step = try i64("QUERY_LOG_RANGE.step")
            self = .queryLogRange(requestID: id, PeerLogRangeQuery(topologyHash: hash, tenant: tenant, query: queryText, start: start, end: end,
                                                                   step: step, partitions: try Self.readKeys(&buffer)))
        default:
            throw .unknownFrameType(frame.type.rawValue)
        }
        guard buffer.readableBytes == 0 else { throw .trailingBytes(field: "\(frame.type)", count: buffer.readableBytes) }
    }

    static func write(_ batch: Batch, into buffer: inout ByteBuffer) {
        let encoded = Frame.batch(batch).encoded()
        buffer.writeWireBytes(encoded)
    }

    static func readBatch(_ buffer: inout ByteBuffer, limits: WireLimits) throws(WireError) -> Batch {
        var bytes = try buffer.readWireBytes(limit: limits.maxFrameBytes + FrameHeader.size)
        guard case .batch(let batch)? = try Frame.read(from: &bytes, limits: limits), bytes.readableBytes == 0 else {
            throw .invalidValue(field: "batch", reason: "expected one whole BATCH frame")
        }
        return batch
    }

    static func write(_ sets: [Labels], into buffer: inout ByteBuffer) {
        buffer.writeVarint(sets.count)
        for labels in sets {
            buffer.writeVarint(labels.count)
            for label in labels {
                buffer.writeWireString(label.name)
                buffer.writeWireString(label.value)
            }
        }
    }

    static func readLabelSets(_ buffer: inout ByteBuffer) throws(WireError) -> [Labels] {
        let count = try buffer.readWireVarint()
        guard count <= UInt64(buffer.readableBytes) else { throw .limitExceeded(field: "label sets", value: count, limit: buffer.readableBytes) }
        var sets: [Labels] = []
        for _ in 0..<count {
            let pairs = try buffer.readWireVarint()
            guard pairs <= UInt64(buffer.readableBytes / 2) else { throw .limitExceeded(field: "labels", value: pairs, limit: buffer.readableBytes / 2) }
            var labels: [Label] = []
            for _ in 0..<pairs {
                labels.append(Label(try buffer.readWireString(limit: maxText), try buffer.readWireString(limit: maxText)))
            }
            do {
                sets.append(try Labels(labels))
            } catch {
                throw .invalidValue(field: "labels", reason: "\(error)")
            }
        }
        return sets
    }

    static func write(_ key: PartitionKey, into buffer: inout ByteBuffer) {
        buffer.writeWireString(key.tenant)
        buffer.writeInteger(key.start)
        buffer.writeInteger(UInt64(key.span))
        buffer.writeInteger(UInt16(key.shard))
        buffer.writeInteger(UInt16(key.shards))
    }

    static func write(_ keys: [PartitionKey], into buffer: inout ByteBuffer) {
        buffer.writeVarint(keys.count)
        for key in keys { write(key, into: &buffer) }
    }

    static func readKey(_ buffer: inout ByteBuffer) throws(WireError) -> PartitionKey {
        let tenant = try buffer.readWireString(limit: 1024)
        guard let start = buffer.readInteger(as: Int64.self), let span = buffer.readInteger(as: UInt64.self),
              let shard = buffer.readInteger(as: UInt16.self), let shards = buffer.readInteger(as: UInt16.self) else {
            throw .truncated(field: "partition key", needed: 20, available: buffer.readableBytes)
        }
        // `end` is `start + span`: a crafted key must not overflow it.
        guard span > 0, span < UInt64(Int64.max), shards >= 1, shard < shards, start % Int64(span) == 0,
              !start.addingReportingOverflow(Int64(span)).overflow else {
            throw .invalidValue(field: "partition key", reason: "start \(start), span \(span), shard \(shard) of \(shards) is not a partition")
        }
        return PartitionKey(tenant: tenant, start: start, span: Int64(span), shard: Int(shard), shards: Int(shards))
    }

    static func readKeys(_ buffer: inout ByteBuffer) throws(WireError) -> [PartitionKey] {
        let count = try buffer.readWireVarint()
        guard count <= UInt64(min(maxPartitions, buffer.readableBytes / 21)) else {
            throw .limitExceeded(field: "partitions", value: count, limit: min(maxPartitions, buffer.readableBytes / 21))
        }
        var keys: [PartitionKey] = []
        for _ in 0..<count { keys.append(try readKey(&buffer)) }
        return keys
    }
}
