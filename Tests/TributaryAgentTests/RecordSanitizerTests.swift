import NIOCore
import Testing
import TributaryModel
import TributaryWire
@testable import TributaryAgent

@Suite struct RecordSanitizerTests {
    static let now: Int64 = 1_796_000_000 * 1_000_000_000
    static let sanitizer = RecordSanitizer(maxAge: 7 * 86_400 * 1_000_000_000, maxFuture: 600 * 1_000_000_000)

    static func log(_ timestamp: Int64, host: String = "h", message: String = "m", fields: [Field] = []) throws -> Record {
        .log(LogRecord(timestamp: timestamp, labels: try Labels(["host": host]), message: message, fields: fields))
    }

    @Test func aTimeOutsideTheBoundsBecomesTheReceiveTimeKeepingTheOriginal() throws {
        for bad: Int64 in [1_000_000_000, Self.now + 3_600_000_000_000, .min, .max] {
            let (record, repairs) = Self.sanitizer.sanitize(try Self.log(bad), now: Self.now)
            #expect(repairs == [.timestamp])
            guard case .log(let log) = record else { Issue.record("not a log"); return }
            #expect(log.timestamp == Self.now)
            #expect(log.fields.contains(Field("original_timestamp", CivilTime.rfc3339(nanoseconds: bad))))
            #expect(log.fields.contains(Field("repaired", "timestamp")))
        }
        let fine = try Self.log(Self.now - 86_400 * 1_000_000_000)
        #expect(Self.sanitizer.sanitize(fine, now: Self.now).0 == fine)
    }

    @Test func everyRepairedRecordEncodes() throws {
        let limits = WireLimits.default
        let wide = String(repeating: "é", count: 3000)
        let records: [Record] = [
            try Self.log(Self.now, host: wide),
            try Self.log(Self.now, message: String(repeating: "ж", count: limits.maxMessageBytes)),
            try Self.log(Self.now, fields: [Field(String(repeating: "x", count: 5000), "v"), Field("", "empty name"),
                                            Field("big", String(repeating: "ü", count: limits.maxFieldValueBytes))]),
            try Self.log(Self.now, fields: (0..<500).map { Field("f\($0)", "v") }),
            .metric(MetricSample(name: "m", labels: try Labels(["host": wide]), timestamp: 5, value: 1, kind: .gauge)),
        ]
        for original in records {
            #expect(throws: WireError.self) { try BatchEncoder().encode([original], agentID: "a", sequence: 1) }
            let (record, repairs) = Self.sanitizer.sanitize(original, now: Self.now)
            #expect(!repairs.isEmpty)
            let batch = try BatchEncoder().encode([record], agentID: "a", sequence: 1)
            #expect(try BatchDecoder().decode(batch) == [record])
        }
        let (fields, repairs) = Self.sanitizer.sanitize(records[2], now: Self.now)
        #expect(Set(repairs) == [.fieldName, .fieldValue])
        guard case .log(let log) = fields else { return }
        #expect(log.fields.last == Field("truncated", "field_name,field_value"))
    }
}

@Suite struct SyslogTimeZoneTests {
    @Test func namesOffsetsAndLocalAreUnderstood() throws {
        #expect(SyslogTimeZone.parse("UTC")?.offsetSeconds(at: 0) == 0)
        #expect(SyslogTimeZone.parse("+05:30")?.offsetSeconds(at: 0) == 19_800)
        #expect(SyslogTimeZone.parse("-0800")?.offsetSeconds(at: 0) == -28_800)
        #expect(SyslogTimeZone.parse("+2")?.offsetSeconds(at: 0) == 7200)
        // Europe/Berlin: +1 in January, +2 in July (daylight saving followed).
        let berlin = try #require(SyslogTimeZone.parse("Europe/Berlin"))
        #expect(berlin.offsetSeconds(at: 1_767_225_600 * 1_000_000_000) == 3600)
        #expect(berlin.offsetSeconds(at: 1_782_864_000 * 1_000_000_000) == 7200)
        #expect(SyslogTimeZone.parse("local") != nil)
        for bad in ["Mars/Olympus", "+25:00", "+1:99", "nonsense", ""] { #expect(SyslogTimeZone.parse(bad) == nil, "\(bad)") }
    }
}
