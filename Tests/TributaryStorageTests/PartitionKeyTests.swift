import Testing
import TributaryModel
import TributaryStorage

@Suite struct PartitionKeyTests {
    static let second: Int64 = 1_000_000_000
    static let hour: Int64 = 3_600 * second
    static let day: Int64 = 86_400 * second
    /// 2026-11-22T06:00:00Z.
    static let t0: Int64 = 1_795_327_200 * second

    static func bucket(_ timestamp: Int64, span: Int64 = hour) -> Int64 {
        PartitionKey(tenant: "acme", containing: timestamp, span: span).start
    }

    @Test func aTimestampFallsInTheBucketThatStartsAtOrBeforeIt() {
        #expect(Self.bucket(0) == 0)
        #expect(Self.bucket(1) == 0)
        #expect(Self.bucket(Self.hour - 1) == 0)
        #expect(Self.bucket(Self.hour) == Self.hour, "a bucket's end is the next bucket's start")
        #expect(Self.bucket(Self.t0) == Self.t0)
        #expect(Self.bucket(Self.t0 - 1) == Self.t0 - Self.hour)
        #expect(Self.bucket(Self.t0 + 59 * 60 * Self.second + 999_999_999) == Self.t0)
        #expect(Self.bucket(Self.t0 + 18 * Self.hour + 5, span: Self.day) == Self.t0 - 6 * Self.hour + Self.day)
        #expect(Self.bucket(Self.t0 + 18 * Self.hour - 1, span: Self.day) == Self.t0 - 6 * Self.hour)

        let key = PartitionKey(tenant: "acme", containing: Self.t0 + 1_234, span: Self.hour)
        #expect(key == PartitionKey(tenant: "acme", start: Self.t0, span: Self.hour))
        #expect(key.end == Self.t0 + Self.hour)
    }

    @Test func negativeTimestampsRoundDownNotTowardZero() {
        #expect(Self.bucket(-1) == -Self.hour)
        #expect(Self.bucket(-Self.hour + 1) == -Self.hour)
        #expect(Self.bucket(-Self.hour) == -Self.hour, "an exact negative boundary starts its own bucket")
        #expect(Self.bucket(-Self.hour - 1) == -2 * Self.hour)
        #expect(Self.bucket(-5 * Self.hour) == -5 * Self.hour)
        for timestamp in [-1, -Self.hour, -Self.hour - 1, -7 * Self.day + 3, Self.t0 - 1] {
            let key = PartitionKey(tenant: "acme", containing: timestamp, span: Self.hour)
            #expect(key.start <= timestamp && timestamp < key.end, "\(timestamp) is in [\(key.start), \(key.end))")
            #expect(key.start % Self.hour == 0)
        }
    }

    @Test func overlapsIsHalfOpen() {
        let key = PartitionKey(tenant: "acme", start: Self.t0, span: Self.hour)
        #expect(key.overlaps(start: Self.t0, end: Self.t0 + 1))
        #expect(key.overlaps(start: Self.t0 + Self.hour - 1, end: Self.t0 + 2 * Self.hour))
        #expect(key.overlaps(start: .min, end: .max))
        #expect(!key.overlaps(start: Self.t0 + Self.hour, end: Self.t0 + 2 * Self.hour))
        #expect(!key.overlaps(start: Self.t0 - Self.hour, end: Self.t0))
    }

    @Test func theDirectoryNameIsTheUTCStartAndTheSpan() {
        #expect(PartitionKey(tenant: "acme", start: Self.t0, span: Self.hour).directoryName == "20261122T060000Z-3600s")
        #expect(PartitionKey(tenant: "acme", start: 0, span: Self.hour).directoryName == "19700101T000000Z-3600s")
        #expect(PartitionKey(tenant: "acme", start: -Self.hour, span: Self.hour).directoryName == "19691231T230000Z-3600s")
        #expect(PartitionKey(tenant: "acme", containing: Self.t0 + 30 * 60 * Self.second, span: 15 * 60 * Self.second).directoryName
            == "20261122T063000Z-900s")
        // 2024-02-29T00:00:00Z, a leap day.
        #expect(PartitionKey(tenant: "acme", start: 1_709_164_800 * Self.second, span: Self.day).directoryName == "20240229T000000Z-86400s")
        // 1900-01-01T00:00:00Z, long before the epoch.
        #expect(PartitionKey(tenant: "acme", start: -2_208_988_800 * Self.second, span: Self.day).directoryName == "19000101T000000Z-86400s")
        #expect(PartitionKey(tenant: "acme", start: -8_520_336_000 * Self.second, span: Self.day).directoryName == "17000101T000000Z-86400s")
        #expect(PartitionKey(tenant: "acme", start: 7_258_118_400 * Self.second, span: Self.hour).directoryName == "22000101T000000Z-3600s")
        #expect(PartitionKey(tenant: "acme", start: Self.t0, span: Self.hour).description == "acme/20261122T060000Z-3600s")
    }

    @Test func aDirectoryNameParsesBackToItsKey() throws {
        let parsed = try #require(PartitionKey(tenant: "acme", directoryName: "20261122T060000Z-3600s"))
        #expect(parsed == PartitionKey(tenant: "acme", start: Self.t0, span: Self.hour))
        #expect(parsed.tenant == "acme")

        let keys = [
            PartitionKey(tenant: "t", start: 0, span: Self.hour),
            PartitionKey(tenant: "t", start: -Self.hour, span: Self.hour),
            PartitionKey(tenant: "t", start: -2_208_988_800 * Self.second, span: Self.day),
            PartitionKey(tenant: "t", start: 1_709_164_800 * Self.second, span: Self.day),
            PartitionKey(tenant: "t", start: Self.t0 + 23 * Self.hour, span: Self.hour),
            PartitionKey(tenant: "t", start: Self.t0 - Self.t0 % (7 * Self.day), span: 7 * Self.day),
            PartitionKey(tenant: "t", start: 7_258_118_400 * Self.second, span: Self.hour),  // 2200-01-01T00:00:00Z
            PartitionKey(tenant: "t", start: -8_520_336_000 * Self.second, span: Self.day),  // 1700-01-01T00:00:00Z
        ]
        for key in keys {
            #expect(PartitionKey(tenant: "t", directoryName: key.directoryName) == key, "\(key.directoryName)")
        }
    }

    @Test func namesSortByTimeAndKeysCompareByStart() {
        let keys = (0..<48).map { PartitionKey(tenant: "acme", start: Self.t0 - 24 * Self.hour + Int64($0) * Self.hour, span: Self.hour) }
        #expect(keys.map(\.directoryName).sorted() == keys.map(\.directoryName))
        #expect(keys.shuffled().sorted() == keys)
        #expect(PartitionKey(tenant: "zeta", start: 0, span: Self.hour) < PartitionKey(tenant: "alpha", start: Self.hour, span: Self.hour))
        #expect(PartitionKey(tenant: "alpha", start: 0, span: Self.hour) < PartitionKey(tenant: "zeta", start: 0, span: Self.hour))
    }

    @Test(arguments: [
        "",
        "SEAL",
        "l-0000000000000001.tblk",
        "20261122T060000Z",
        "20261122T060000Z-",
        "20261122T060000Z-3600",
        "20261122T060000Z-s",
        "20261122T060000Z-0s",
        "20261122T060000Z--3600s",
        "20261122T060000Z-+3600s",
        "20261122T060000Z-abcs",
        "20261122T060000Z-3600s-1",
        "2026-11-22T06:00:00Z-3600s",
        "20261122X060000Z-3600s",
        "20261122T060000X-3600s",
        "2026112T0600000Z-3600s",
        "20261322T060000Z-3600s",
        "20261100T060000Z-3600s",
        "20261122T250000Z-3600s",
        "20261122T066000Z-3600s",
        "2026112aT060000Z-3600s",
        "20261122T060000Z-3600s.tmp",
        "020261122T060000Z-3600s",
    ])
    func parsingRefusesNamesItWouldNotHaveWritten(_ name: String) {
        #expect(PartitionKey(tenant: "acme", directoryName: name) == nil)
    }

    @Test func aShardedKeyNamesItsShardAndParsesBack() throws {
        let key = PartitionKey(tenant: "acme", start: Self.t0, span: Self.hour, shard: 2, shards: 3)
        #expect(key.directoryName == "20261122T060000Z-3600s-s2of3")
        #expect(PartitionKey(tenant: "acme", directoryName: key.directoryName) == key)
        #expect(PartitionKey(tenant: "acme", start: Self.t0, span: Self.hour).directoryName == "20261122T060000Z-3600s",
                "one shard keeps the single-node name")
        for bad in ["20261122T060000Z-3600s-s3of3", "20261122T060000Z-3600s-s0of1", "20261122T060000Z-3600s-2of3", "20261122T060000Z-3600s-s1of"] {
            #expect(PartitionKey(tenant: "acme", directoryName: bad) == nil, "\(bad)")
        }
    }

    @Test func streamsSpreadOverShardsAndStayInTheirs() throws {
        var counts = [0, 0, 0]
        for index in 0..<3_000 {
            let labels = try Labels(["host": "web-\(index)", "app": "api"])
            let shard = PartitionKey.shard(ofStream: labels.streamID, shards: 3)
            counts[shard] += 1
            #expect(shard == PartitionKey.shard(ofStream: labels.streamID, shards: 3))
            let record = Record.log(LogRecord(timestamp: Self.t0 + 5, labels: labels, message: "x"))
            let key = PartitionKey(tenant: "acme", containing: Self.t0 + 5, span: Self.hour, streamID: labels.streamID, shards: 3)
            #expect(key.shard == shard && key.contains(record))
            #expect(!PartitionKey(tenant: "acme", start: Self.t0, span: Self.hour, shard: (shard + 1) % 3, shards: 3).contains(record))
        }
        for count in counts { #expect((850...1150).contains(count), "\(counts)") }
    }
}
