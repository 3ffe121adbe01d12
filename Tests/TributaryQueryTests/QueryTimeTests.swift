import Testing
import TributaryQuery

@Suite struct QueryTimeTests {
    static let second: Int64 = 1_000_000_000
    static let minute: Int64 = 60 * second
    static let hour: Int64 = 60 * minute
    static let day: Int64 = 24 * hour
    /// 2026-11-22T06:00:00Z.
    static let t0: Int64 = 1_795_327_200 * second
    /// The `now` every parse is given: 2026-11-22T08:30:00Z.
    static let now: Int64 = t0 + 2 * hour + 30 * minute

    static func parse(_ text: String) throws -> Int64 {
        try QueryTime.parse(text, now: now)
    }

    @Test func rfc3339InUTCIsNanosecondsSinceTheEpoch() throws {
        #expect(try Self.parse("2026-11-22T06:00:00Z") == Self.t0)
        #expect(try Self.parse("1970-01-01T00:00:00Z") == 0)
        #expect(try Self.parse("1969-12-31T23:59:59Z") == -Self.second)
        #expect(try Self.parse("2024-02-29T12:00:00Z") == 1_709_208_000 * Self.second)
        #expect(try Self.parse("2000-03-01T00:00:00Z") == 951_868_800 * Self.second)
        #expect(try Self.parse("1900-01-01T00:00:00Z") == -2_208_988_800 * Self.second)
        #expect(try Self.parse("2026-11-22t06:00:00z") == Self.t0, "lower-case t and z are allowed")
        #expect(try Self.parse("2026-11-22 06:00:00Z") == Self.t0, "RFC 3339 allows a space for the T")
        #expect(try Self.parse("2026-11-22T23:59:59Z") == Self.t0 + 18 * Self.hour - Self.second)
    }

    @Test func fractionsAreKeptToTheNanosecond() throws {
        #expect(try Self.parse("2026-11-22T06:00:00.5Z") == Self.t0 + 500_000_000)
        #expect(try Self.parse("2026-11-22T06:00:00.05Z") == Self.t0 + 50_000_000)
        #expect(try Self.parse("2026-11-22T06:00:00.123Z") == Self.t0 + 123_000_000)
        #expect(try Self.parse("2026-11-22T06:00:00.123456Z") == Self.t0 + 123_456_000)
        #expect(try Self.parse("2026-11-22T06:00:00.123456789Z") == Self.t0 + 123_456_789)
        #expect(try Self.parse("2026-11-22T06:00:00.000000001Z") == Self.t0 + 1)
        #expect(try Self.parse("2026-11-22T06:00:00.1234567891234Z") == Self.t0 + 123_456_789, "digits past nanoseconds are dropped")
        #expect(try Self.parse("1969-12-31T23:59:59.999999999Z") == -1)
    }

    @Test func offsetsAreSubtractedToGetUTC() throws {
        #expect(try Self.parse("2026-11-22T07:00:00+01:00") == Self.t0)
        #expect(try Self.parse("2026-11-22T07:00:00.5+01:00") == Self.t0 + 500_000_000)
        #expect(try Self.parse("2026-11-22T01:30:00-04:30") == Self.t0)
        #expect(try Self.parse("2026-11-23T05:45:00+23:45") == Self.t0)
        #expect(try Self.parse("2026-11-22T06:00:00+00:00") == Self.t0)
        #expect(try Self.parse("2026-11-22T06:00:00-00:00") == Self.t0)
        #expect(try Self.parse("2026-11-21T20:00:00-10:00") == Self.t0, "an offset can move the date")
    }

    @Test func durationsAddUpTheirUnits() throws {
        #expect(try QueryTime.parseDuration("500ms") == 500_000_000)
        #expect(try QueryTime.parseDuration("30s") == 30 * Self.second)
        #expect(try QueryTime.parseDuration("5m") == 5 * Self.minute)
        #expect(try QueryTime.parseDuration("1h") == Self.hour)
        #expect(try QueryTime.parseDuration("2d") == 2 * Self.day)
        #expect(try QueryTime.parseDuration("1w") == 7 * Self.day)
        #expect(try QueryTime.parseDuration("1y") == 365 * Self.day)
        #expect(try QueryTime.parseDuration("1h30m") == 90 * Self.minute)
        #expect(try QueryTime.parseDuration("1m500ms") == Self.minute + 500_000_000, "m followed by a number is minutes")
        #expect(try QueryTime.parseDuration("1d2h3m4s5ms") == Self.day + 2 * Self.hour + 3 * Self.minute + 4 * Self.second + 5_000_000)
        #expect(try QueryTime.parseDuration("0s") == 0)
        #expect(try QueryTime.parseDuration("90m") == 90 * Self.minute)
    }

    @Test func aDurationIsThatLongBeforeNow() throws {
        #expect(try Self.parse("1h") == Self.now - Self.hour)
        #expect(try Self.parse("1h30m") == Self.now - 90 * Self.minute)
        #expect(try Self.parse("500ms") == Self.now - 500_000_000)
        #expect(try Self.parse("2d") == Self.now - 2 * Self.day)
        #expect(try Self.parse("now") == Self.now)
        #expect(try QueryTime.parse("now", now: -42) == -42)
    }

    @Test func plainNumbersAreUnixSeconds() throws {
        #expect(try Self.parse("1795327200") == Self.t0)
        #expect(try Self.parse("1795327200.5") == Self.t0 + 500_000_000)
        #expect(try Self.parse("0") == 0)
        #expect(try Self.parse("-1") == -Self.second)
        #expect(try Self.parse("1.25") == 1_250_000_000)
    }

    @Test(arguments: [
        "", " ", "yesterday", "Now", "1h30", "5x", "h", "-1h", "1.5h", "ms", "1 h",
        "2026-11-22", "2026-11-22T06:00", "2026-11-22T06:00:00", "2026-11-22T06:00:00+0100",
        "2026-11-22T06:00:00+01", "2026-11-22T06:00:00.Z", "2026-11-22T06:00:00ZZ", "2026-11-22T06:00:00Z ",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-22T24:00:00Z",
        "2026-11-22T06:60:00Z", "2026-11-22X06:00:00Z", "2026/11/22T06:00:00Z", "20261122T060000Z",
        "nan", "inf", "-infinity",
    ])
    func junkIsRefusedWithAQueryError(_ text: String) {
        #expect(throws: QueryError.self, "\"\(text)\"") { try QueryTime.parse(text, now: Self.now) }
    }

    @Test(arguments: ["", "h", "1", "1h30", "5x", "1.5h", "-1h", "1hh", "m5", "1 h", "ms500"])
    func junkDurationsAreRefused(_ text: String) {
        #expect(throws: QueryError.self, "\"\(text)\"") { try QueryTime.parseDuration(text) }
    }

    @Test func theErrorSaysWhatATimeLooksLike() throws {
        let error = #expect(throws: QueryError.self) { try QueryTime.parse("yesterday", now: Self.now) }
        #expect(error?.found == "\"yesterday\"")
        #expect(error?.description.contains("RFC 3339") == true)
        let unit = #expect(throws: QueryError.self) { try QueryTime.parseDuration("1h30") }
        #expect(unit?.position == 4)
        #expect(unit?.found == "the end")
    }

    @Test func formatWritesUTCWithNanoseconds() {
        #expect(QueryTime.format(Self.t0) == "2026-11-22T06:00:00.000000000Z")
        #expect(QueryTime.format(Self.t0 + 123_456_789) == "2026-11-22T06:00:00.123456789Z")
        #expect(QueryTime.format(0) == "1970-01-01T00:00:00.000000000Z")
        #expect(QueryTime.format(-1) == "1969-12-31T23:59:59.999999999Z")
        #expect(QueryTime.format(-Self.second) == "1969-12-31T23:59:59.000000000Z")
        #expect(QueryTime.format(1_709_208_000 * Self.second) == "2024-02-29T12:00:00.000000000Z")
        #expect(QueryTime.format(-8_520_336_000 * Self.second) == "1700-01-01T00:00:00.000000000Z")
        #expect(QueryTime.format(Int64.max) == "2262-04-11T23:47:16.854775807Z")
    }

    @Test func formatParsesBackToTheSameInstant() throws {
        var values: [Int64] = [0, 1, -1, Self.t0, Self.t0 + 999_999_999, -Self.second, -Self.second - 1,
                               -2_208_988_800 * Self.second + 7,
                               9_223_286_400 * Self.second + 999_999_999,  // 2262-04-11T00:00:00.999999999Z
                               -8_520_336_000 * Self.second]  // 1700-01-01T00:00:00Z
        var state: UInt64 = 0x5EED
        for _ in 0..<1_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Anywhere between 1900 and 2100.
            values.append(-2_208_988_800 * Self.second + Int64(state >> 1) % (6_311_433_600 * Self.second))
        }
        for value in values {
            let text = QueryTime.format(value)
            #expect(try QueryTime.parse(text, now: Self.now) == value, "\(value) → \(text)")
        }
    }

    // A query's `start`, `end` and `step` come from any HTTP client: numbers
    // that do not fit in nanoseconds must be refused, not trap.
    @Test(arguments: ["1e300", "-1e300", "1795327200000000000", "9999999999999", "-9300000000"])
    func unixSecondsOutOfRangeAreRefused(_ text: String) {
        #expect(throws: QueryError.self) { try QueryTime.parse(text, now: Self.now) }
    }

    @Test(arguments: ["9999999999y", "999999999999999999w", "5000000000000ms5000000000000ms", "106752d"])
    func durationsOutOfRangeAreRefused(_ text: String) {
        #expect(throws: QueryError.self) { try QueryTime.parseDuration(text) }
        #expect(throws: QueryError.self) { try QueryTime.parse(text, now: Self.now) }
    }

    @Test
    func formatHandlesTheEarliestInstant() throws {
        #expect(QueryTime.format(Int64.min) == "1677-09-21T00:12:43.145224192Z")
        #expect(QueryTime.format(Int64.min + 999_999_998) == "1677-09-21T00:12:44.145224190Z")
    }
}
