import NIOCore
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

@Suite struct BatchCodecTests {
    @Test(arguments: 0..<200)
    func randomRecordsRoundTripThroughTheWire(seed: Int) throws {
        var random = RandomRecords(seed: UInt64(seed))
        let records = random.records(count: Int.random(in: 1...300, using: &random.generator))
        let compressed = seed % 2 == 0
        let batch = try BatchEncoder(compression: compressed ? .fastest : nil)
            .encode(records, agentID: "agent-\(seed)", sequence: UInt64(seed + 1))
        #expect(batch.isCompressed == compressed)
        #expect(batch.recordCount == records.count)

        var wire = Frame.batch(batch).encoded()
        guard case .batch(let received) = try Frame.read(from: &wire) else {
            Issue.record("seed \(seed): not a batch")
            return
        }
        #expect(received == batch)
        #expect(try BatchDecoder().decode(received) == records, "seed \(seed)")
    }

    @Test func oneEncoderAndDecoderServeManyBatches() throws {
        let encoder = BatchEncoder()
        let decoder = BatchDecoder()
        var random = RandomRecords(seed: 7)
        for sequence in 1...50 {
            let records = random.records(count: 100)
            let batch = try encoder.encode(records, agentID: "a", sequence: UInt64(sequence))
            #expect(try decoder.decode(batch) == records)
        }
    }

    @Test func labelSetsAndStringsAreStoredOncePerBatch() throws {
        let labels = try Labels(["host": "web-1", "app": "nginx"])
        let records = (0..<1000).map {
            Record.log(LogRecord(timestamp: Int64($0), severity: .info, labels: labels, message: "x"))
        }
        let batch = try BatchEncoder(compression: nil).encode(records, agentID: "a", sequence: 1)
        // Tables: 4 strings (~25 bytes) + one set; records: 1000 × 7 bytes.
        #expect(batch.rawLength < 1000 * 7 + 60)
    }

    @Test func decodedRecordsShareTheirLabelStorage() throws {
        let labels = try Labels(["host": "h"])
        let records = (0..<3).map { Record.log(LogRecord(timestamp: Int64($0), labels: labels, message: "m")) }
        let decoded = try BatchDecoder().decode(try BatchEncoder().encode(records, agentID: "a", sequence: 1))
        #expect(Set(decoded.map(\.labels)).count == 1)
    }

    @Test func anEmptyBatchIsRefused() {
        #expect(throws: WireError.self) { try BatchEncoder().encode([Record](), agentID: "a", sequence: 1) }
    }

    @Test func encoderEnforcesTheLimitsTheReceiverWould() throws {
        var limits = WireLimits()
        limits.maxMessageBytes = 10
        let long = Record.log(LogRecord(timestamp: 0, labels: .empty, message: String(repeating: "x", count: 11)))
        #expect(throws: WireError.limitExceeded(field: "record[0].message bytes", value: 11, limit: 10)) {
            try BatchEncoder(limits: limits).encode([long], agentID: "a", sequence: 1)
        }
        limits = WireLimits()
        limits.maxStringBytes = 5
        let longValue = Record.log(LogRecord(timestamp: 0, labels: try Labels(["host": "abcdefgh"]), message: ""))
        #expect(throws: WireError.self) { try BatchEncoder(limits: limits).encode([longValue], agentID: "a", sequence: 1) }
    }

    @Test func aReceiverWithSmallerLimitsRefusesABatch() throws {
        let batch = try BatchEncoder().encode(GoldenFrames.records, agentID: "a", sequence: 1)
        var limits = WireLimits()
        limits.maxMessageBytes = 8
        #expect(throws: WireError.self) { try BatchDecoder(limits: limits).decode(batch) }
        limits = WireLimits()
        limits.maxBatchRawBytes = 100
        #expect(throws: WireError.limitExceeded(field: "BATCH.raw_length", value: UInt64(batch.rawLength), limit: 100)) {
            try BatchDecoder(limits: limits).decode(batch)
        }
    }

    @Test func aBodyThatInflatesShortOfRawLengthIsRefused() throws {
        var batch = try BatchEncoder().encode(GoldenFrames.records, agentID: "a", sequence: 1)
        batch.rawLength += 10
        do {
            _ = try BatchDecoder().decode(batch)
            Issue.record("accepted a body shorter than raw_length")
        } catch {
            #expect(error.kind == "inflate-failure")
            #expect(error.description.contains("raw_length declares"))
        }
    }

    @Test func aBodyThatInflatesPastRawLengthStopsAtRawLength() throws {
        var batch = try BatchEncoder().encode(GoldenFrames.records, agentID: "a", sequence: 1)
        batch.rawLength -= 1
        #expect(throws: WireError.inflateFailure(.inflatedSizeExceedsLimit(limit: batch.rawLength))) {
            try BatchDecoder().decode(batch)
        }
    }

    /// Hand-built bodies for the rules the encoder never breaks.
    static func body(records: Int = 1, _ build: (inout ByteBuffer) -> Void) -> Batch {
        var body = ByteBuffer()
        build(&body)
        return Batch(agentID: "a", sequence: 1, recordCount: records, rawLength: body.readableBytes, isCompressed: false, body: body)
    }

    @Test func bodyRuleViolationsAreNamed() throws {
        let cases: [(String, Batch)] = [
            ("string table", Self.body { $0.writeVarint(UInt64(5_000)) }),
            ("labelsets[0]", Self.body { b in
                b.writeVarint(2); b.writeWireString("host"); b.writeWireString("host")
                b.writeVarint(1); b.writeVarint(2); b.writeVarint(0); b.writeVarint(1); b.writeVarint(0); b.writeVarint(1)
            }),
            ("record[0].kind", Self.body { b in
                b.writeVarint(0); b.writeVarint(1); b.writeVarint(0)
                b.writeInteger(UInt8(9)); b.writeSVarint(0); b.writeVarint(0); b.writeBytes([0, 0, 0])
            }),
            ("record[0].metric_kind", Self.body { b in
                b.writeVarint(1); b.writeWireString("m"); b.writeVarint(1); b.writeVarint(0)
                b.writeInteger(UInt8(2)); b.writeSVarint(0); b.writeVarint(0); b.writeVarint(0)
                b.writeInteger(UInt8(7)); b.writeInteger(UInt64(0))
            }),
            ("record[0].name_ix", Self.body { b in
                b.writeVarint(0); b.writeVarint(1); b.writeVarint(0)
                b.writeInteger(UInt8(2)); b.writeSVarint(0); b.writeVarint(0); b.writeVarint(3)
                b.writeInteger(UInt8(0)); b.writeInteger(UInt64(0))
            }),
            ("record[1].ts_delta", Self.body(records: 2) { b in
                b.writeVarint(1); b.writeWireString("d"); b.writeVarint(1); b.writeVarint(0)
                b.writeInteger(UInt8(3)); b.writeSVarint(Int64.max); b.writeVarint(0); b.writeVarint(0); b.writeVarint(0)
                b.writeInteger(UInt8(3)); b.writeSVarint(1); b.writeVarint(0); b.writeVarint(0); b.writeVarint(0)
            }),
            ("BATCH body after record[0]", Self.body { b in
                b.writeVarint(1); b.writeWireString("deploy"); b.writeVarint(1); b.writeVarint(0)
                b.writeInteger(UInt8(3)); b.writeSVarint(5); b.writeVarint(0); b.writeVarint(0); b.writeVarint(0)
                b.writeString("extra")
            }),
        ]
        for (field, batch) in cases {
            do {
                _ = try BatchDecoder().decode(batch)
                Issue.record("\(field): accepted")
            } catch {
                #expect(error.description.contains(field), "\(error)")
            }
        }
    }
}

extension BatchCodecTests {
    /// An EVENT with an empty type and message is 5 bytes, the smallest
    /// record; a batch of them must pass the record-count bound.
    @Test func aBatchOfMinimalRecordsIsAccepted() throws {
        let records = (0..<6).map { _ in Record.event(ChangeEvent(type: "", labels: .empty, timestamp: 0, message: "")) }
        let batch = try BatchEncoder(compression: nil).encode(records, agentID: "a", sequence: 1)
        #expect(batch.rawLength == 4 + 6 * 5, "tables: one empty string, one empty label set")
        var wire = Frame.batch(batch).encoded()
        guard case .batch(let received) = try Frame.read(from: &wire) else {
            Issue.record("not a batch")
            return
        }
        #expect(try BatchDecoder().decode(received) == records)
    }
}
