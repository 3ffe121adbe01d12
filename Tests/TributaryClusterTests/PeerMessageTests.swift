import NIOCore
import Testing
import TributaryCluster
import TributaryModel
import TributaryStorage
import TributaryWire

@Suite struct PeerMessageTests {
    static let key = PartitionKey(tenant: "acme", start: 3_600_000_000_000 * 490_000, span: 3_600_000_000_000, shard: 2, shards: 3)

    static func batch() throws -> Batch {
        let labels = try Labels(["app": "api", "host": "web-1"])
        let records: [Record] = (0..<5).map { .log(LogRecord(timestamp: Int64($0) * 1_000, severity: .info, labels: labels,
                                                             message: ByteBuffer(string: "line \($0)"))) }
        return try BatchEncoder().encode(records, agentID: "agent-1", sequence: 42)
    }

    static func roundTrip(_ message: PeerMessage) throws -> PeerMessage {
        let frame = message.frame
        #expect(frame.type.isPeer)
        // Through the wire codec too: header, CRC, then our payload.
        var bytes = Frame.peer(frame).encoded()
        guard case .peer(let decoded)? = try Frame.read(from: &bytes) else { throw WireError.invalidValue(field: "test", reason: "no peer frame") }
        return try PeerMessage(decoded)
    }

    @Test func everyMessageRoundTrips() throws {
        let messages: [PeerMessage] = [
            .hello(PeerHello(nodeID: "node-a", topologyHash: "0123456789abcdef", software: "trib/0.1")),
            .hello(PeerHello(nodeID: "node-a", topologyHash: "0123456789abcdef", software: "trib/0.1", credentialsHash: "00112233aabbccdd")),
            .welcome(PeerHello(nodeID: "node-b", topologyHash: "0123456789abcdef", software: "")),
            .replicate(requestID: 7, topologyHash: "ab", tenant: "acme", batch: try Self.batch(), parts: [
                BatchPart(key: Self.key, minTimestamp: -3, maxTimestamp: 9, logStreams: [try Labels(["app": "api"]), try Labels([:])],
                          metricStreams: [try Labels(["__name__": "up", "job": "x"])])]),
            .replicate(requestID: 8, topologyHash: "ab", tenant: "acme", batch: try Self.batch(), parts: []),
            .replicated(requestID: 7, status: .duplicate, detail: ""),
            .queryLogs(requestID: 8, PeerLogQuery(topologyHash: "ab", tenant: "acme", query: #"{app="api"} |= "x""#, start: -5, end: 99,
                                                  limit: 1000, forward: true, partitions: [Self.key, Self.key.with(tenant: "b")])),
            .records(requestID: 8, RecordsPage(more: true, warnings: ["w1"], batch: try Self.batch())),
            .records(requestID: 8, RecordsPage(more: false, error: "boom")),
            .listPartitions(requestID: 9),
            .hints(requestID: 9),
            .partitionList(requestID: 9, hintsForAsker: 4, []),
            .partitionList(requestID: 9, hintsForAsker: 3, [PartitionSummary(key: Self.key, sealed: true, records: 12, digest: "deadbeef"),
                                          PartitionSummary(key: Self.key.with(tenant: "x"), sealed: false, records: 0, digest: "")]),
            .fetch(requestID: 10, topologyHash: "ab", key: Self.key),
            .querySeries(requestID: 11, PeerSeriesQuery(topologyHash: "ab", tenant: "acme", query: #"up{job="x"}"#, from: 1, to: 2,
                                                        partitions: [Self.key])),
            .queryLogRange(requestID: 12, PeerLogRangeQuery(topologyHash: "ab", tenant: "acme", query: #"count_over_time({app="x"}[5m])"#,
                                                            start: -7, end: 60, step: 15, partitions: [Self.key])),
        ]
        for message in messages {
            #expect(try Self.roundTrip(message) == message)
        }
    }

    @Test func malformedPayloadsFailWithTheField() throws {
        var truncated = PeerMessage.replicated(requestID: 1, status: .stored, detail: "").frame
        truncated.payload = truncated.payload.getSlice(at: 0, length: 3)!
        #expect(throws: WireError.self) { try PeerMessage(truncated) }

        var badStatus = ByteBuffer()
        badStatus.writeInteger(UInt64(1))
        badStatus.writeInteger(UInt8(99))
        badStatus.writeWireString("")
        #expect { try PeerMessage(PeerFrame(type: PeerMessage.replicatedType, payload: badStatus)) } throws: { error in
            "\(error)".contains("REPLICATED.status")
        }

        var trailing = PeerMessage.listPartitions(requestID: 3).frame
        trailing.payload.writeInteger(UInt8(0))
        #expect(throws: WireError.self) { try PeerMessage(trailing) }

        #expect(throws: WireError.self) { try PeerMessage(PeerFrame(type: FrameType(rawValue: 0xBE), payload: ByteBuffer())) }

        var hugeCount = ByteBuffer()
        hugeCount.writeInteger(UInt64(1))
        hugeCount.writeVarint(UInt64(0))
        hugeCount.writeVarint(UInt64(1) << 40)
        #expect(throws: WireError.self) { try PeerMessage(PeerFrame(type: PeerMessage.partitionListType, payload: hugeCount)) }

        var badKey = ByteBuffer()
        badKey.writeInteger(UInt64(1))
        badKey.writeWireString("h")
        badKey.writeWireString("acme")
        badKey.writeInteger(Int64(5))
        badKey.writeInteger(UInt64(3_600_000_000_000))
        badKey.writeInteger(UInt16(4))
        badKey.writeInteger(UInt16(3))
        #expect { try PeerMessage(PeerFrame(type: PeerMessage.fetchType, payload: badKey)) } throws: { error in
            "\(error)".contains("is not a partition")
        }
    }

    /// A crafted key whose `start + span` overflows used to trap (SIGILL)
    /// wherever the partition's end was computed.
    @Test func aKeyWhoseEndOverflowsIsRefused() throws {
        let span: Int64 = 3_600_000_000_000
        var crafted = ByteBuffer()
        crafted.writeInteger(UInt64(1))
        crafted.writeWireString("h")
        crafted.writeWireString("acme")
        crafted.writeInteger(Int64.max / span * span)
        crafted.writeInteger(UInt64(span))
        crafted.writeInteger(UInt16(0))
        crafted.writeInteger(UInt16(1))
        #expect { try PeerMessage(PeerFrame(type: PeerMessage.fetchType, payload: crafted)) } throws: { error in
            "\(error)".contains("is not a partition")
        }
    }

    @Test func aDirectoryNameWhoseTimesOverflowIsNotAPartition() {
        #expect(PartitionKey(tenant: "acme", directoryName: "99991231T230000Z-9223372036854775s") == nil)
        #expect(PartitionKey(tenant: "acme", directoryName: "20261122T060000Z-3600s") != nil)
    }
}
