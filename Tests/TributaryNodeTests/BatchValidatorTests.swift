import NIOCore
import Testing
@testable import TributaryNode
import TributaryModel
import TributaryWire

@Suite struct BatchValidatorTests {
    static let now: Int64 = 1_795_000_000 * 1_000_000_000
    static let validator = BatchValidator(maxAge: 3600 * 1_000_000_000, maxFuture: 60 * 1_000_000_000, limits: .default)

    static func batch(timestamps: [Int64]) throws -> Batch {
        let labels = try Labels(["host": "h"])
        let records = timestamps.map { Record.log(LogRecord(timestamp: $0, labels: labels, message: "m")) }
        return try BatchEncoder().encode(records, agentID: "a", sequence: 9)
    }

    /// The NACK a batch gets, or nil if it passes.
    static func refusal(_ batch: Batch) -> Nack? {
        if case .failure(let refusal) = validator.check(batch, now: now) { return refusal.nack }
        return nil
    }

    @Test func recordsWithinTheBoundsPassWithTheirRecords() throws {
        let result = Self.validator.check(try Self.batch(timestamps: [Self.now - 3_000 * 1_000_000_000, Self.now, Self.now + 59 * 1_000_000_000]), now: Self.now)
        #expect(try result.get().map(\.timestamp) == [Self.now - 3_000 * 1_000_000_000, Self.now, Self.now + 59 * 1_000_000_000])
    }

    @Test func aTooOldRecordRefusesTheBatchPermanentlyWithItsDate() throws {
        let nack = try #require(Self.refusal(try Self.batch(timestamps: [Self.now, Self.now - 7200 * 1_000_000_000])))
        #expect(nack.sequence == 9)
        #expect(nack.disposition == .permanent)
        #expect(nack.code == .tooOld)
        #expect(nack.reason.hasPrefix("record 1 has timestamp 2026-11-18T"))
        #expect(nack.reason.contains("max_record_age"))
    }

    @Test func aRecordFromTheFutureIsRefused() throws {
        let nack = try #require(Self.refusal(try Self.batch(timestamps: [Self.now + 3600 * 1_000_000_000])))
        #expect(nack.code == .tooNew)
        #expect(nack.reason.contains("is the sender's clock right?"))
    }

    @Test func anUndecodableBodyIsMalformed() throws {
        var batch = try Self.batch(timestamps: [Self.now])
        batch.body = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])
        let nack = try #require(Self.refusal(batch))
        #expect(nack.code == .malformed && nack.disposition == .permanent)
        #expect(nack.reason.hasPrefix("the batch body cannot be decoded"))
    }

    @Test func datesAreRFC3339() {
        #expect(BatchValidator.format(0) == "1970-01-01T00:00:00Z")
        #expect(BatchValidator.format(1_700_000_000 * 1_000_000_000) == "2023-11-14T22:13:20Z")
        #expect(BatchValidator.format(-86_400 * 1_000_000_000) == "1969-12-31T00:00:00Z")
        #expect(BatchValidator.format(-1) == "1969-12-31T23:59:59Z")
        #expect(BatchValidator.format(.min) == "1677-09-21T00:12:43Z", "a hostile timestamp is named, not a crash")
    }
}
