import Foundation
import Testing
import TributaryModel
import TributaryPush
import TributaryPushFormats

/// The hand-written protobuf readers of remote write and Loki push against
/// malformed and hostile bodies: a clear 400 or 413, never a crash, and no
/// allocation sized by a number the client chose.
@Suite struct PushProtobufHostileInputTests {
    static func remoteWrite(series: Int, samples: Int = 1) throws -> [UInt8] {
        var request = Prometheus_WriteRequest()
        request.timeseries = (0..<series).map { index in
            RemoteWriteDecoderTests.series(["__name__": "m_total", "series": "\(index)"], (0..<samples).map { (Int64(1_700_000_000_000 + $0), Double($0)) })
        }
        return try request.serializedBytes()
    }

    static func loki(lines: Int) throws -> [UInt8] {
        var stream = Logproto_StreamAdapter()
        stream.labels = "{app=\"api\"}"
        stream.entries = (0..<lines).map { index in
            var entry = Logproto_EntryAdapter()
            entry.timestamp.seconds = 1_700_000_000
            entry.timestamp.nanos = Int32(index)
            entry.line = "line \(index)"
            return entry
        }
        var request = Logproto_PushRequest()
        request.streams = [stream]
        return try request.serializedBytes()
    }

    static func expect400(_ body: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for decode in [{ try RemoteWriteDecoder.decode(body, limits: .default) }, { try LokiPushDecoder.decodeProtobuf(body, limits: .default) }] {
            let error = #expect(throws: PushError.self, sourceLocation: sourceLocation) { _ = try decode() }
            #expect(error?.status == 400, sourceLocation: sourceLocation)
            #expect(error?.reason.contains(fragment) == true, "\(error?.reason ?? "")", sourceLocation: sourceLocation)
        }
    }

    @Test func truncatedVarintsAndLengthsPastTheEndAreRefused() {
        Self.expect400([0x0A, 0xFF], "truncated varint")
        Self.expect400([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "varint longer")
        Self.expect400([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], "runs past the end")
        Self.expect400([0x0A, 0x05, 0x01], "runs past the end")
        Self.expect400([0x0B], "groups")
        Self.expect400([0x00], "field number 0")
        Self.expect400([0x08, 0x01], "wire type 0")
        Self.expect400([0x21, 0x01, 0x02], "truncated 64-bit")
    }

    @Test func nestedFieldsAreCheckedAgainstTheirMessage() {
        // timeseries { labels { name: <length past the label's end> } }
        let body: [UInt8] = [0x0A, 0x04, 0x0A, 0x02, 0x0A, 0x09]
        let error = #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(body, limits: .default) }
        #expect(error?.reason.contains("runs past the end") == true)
        // sample { value: 3 bytes of a fixed64 }
        let sample: [UInt8] = [0x0A, 0x06, 0x12, 0x04, 0x09, 0x01, 0x02, 0x03]
        let short = #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(sample, limits: .default) }
        #expect(short?.reason.contains("truncated 64-bit") == true)
    }

    @Test func deeplyNestedUnknownFieldsAreSkippedWithoutRecursion() throws {
        // An unknown field 15 holding 2,000 levels of nested messages: skipped by its length.
        var nested: [UInt8] = []
        for _ in 0..<2_000 { nested = [0x7A] + Self.varint(nested.count) + nested }
        let records = try RemoteWriteDecoder.decode(nested, limits: .default)
        #expect(records.isEmpty)
    }

    @Test func hugeCountsHitTheLimitsBeforeMemoryDoes() throws {
        var limits = PushLimits()
        limits.maxSeriesPerRequest = 10
        let many = #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(try Self.remoteWrite(series: 11), limits: limits) }
        #expect(many?.status == 413)
        limits = PushLimits()
        limits.maxRecordsPerRequest = 50
        let samples = #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(try Self.remoteWrite(series: 1, samples: 51), limits: limits) }
        #expect(samples?.status == 413)
        let lines = #expect(throws: PushError.self) { try LokiPushDecoder.decodeProtobuf(try Self.loki(lines: 51), limits: limits) }
        #expect(lines?.status == 413)
        limits = PushLimits()
        limits.maxLabelsPerSeries = 1
        let labels = #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(try Self.remoteWrite(series: 1), limits: limits) }
        #expect(labels?.status == 400)
        // 4 bytes declaring 200,000 empty series: the series limit answers, nothing huge is allocated.
        let empties = [UInt8](repeating: 0, count: 400_000).enumerated().map { $0.offset % 2 == 0 ? UInt8(0x0A) : UInt8(0) }
        let error = #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(empties, limits: .default) }
        #expect(error?.status == 413)
    }

    @Test func invalidUTF8InStringsIsRefused() throws {
        var body = try Self.loki(lines: 1)
        let index = try #require(body.lastIndex(of: UInt8(ascii: "0")))
        body[index] = 0xFF
        let error = #expect(throws: PushError.self) { try LokiPushDecoder.decodeProtobuf(body, limits: .default) }
        #expect(error?.reason.contains("not valid UTF-8") == true)
        var series = try Self.remoteWrite(series: 1)
        let digit = try #require(series.firstIndex(of: UInt8(ascii: "0")))
        series[digit] = 0xC3
        let bad = #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(series, limits: .default) }
        #expect(bad?.reason.contains("not valid UTF-8") == true)
    }

    @Test func theSeriesCacheGivesTheSameSamplesAndStaysBounded() throws {
        let body = try Self.remoteWrite(series: 50, samples: 2)
        let cache = RemoteWriteSeriesCache()
        let plain = try RemoteWriteDecoder.decode(body, limits: .default)
        let first = try RemoteWriteDecoder.decode(body, limits: .default, cache: cache)
        let second = try RemoteWriteDecoder.decode(body, limits: .default, cache: cache)
        #expect(cache.count == 50)
        #expect(plain == first && first == second)
        let small = RemoteWriteSeriesCache(maxBytes: 1000)
        _ = try RemoteWriteDecoder.decode(body, limits: .default, cache: small)
        #expect(small.count < 50)
        // A bad series is refused with or without the cache, and not cached.
        var request = Prometheus_WriteRequest()
        request.timeseries = [RemoteWriteDecoderTests.series(["__name__": "m", "bad-name": "v"], [(1, 1)])]
        let bad: [UInt8] = try request.serializedBytes()
        for _ in 0..<2 { #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(bad, limits: .default, cache: cache) } }
        #expect(cache.count == 50)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        var seed: [UInt8]? = try? Self.remoteWrite(series: 3, samples: 2)
        for round in 0..<2000 {
            var body = seed ?? []
            for _ in 0..<(1 + round % 4) where !body.isEmpty {
                body[Int.random(in: 0..<body.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if round % 7 == 0 { body = Array(body.prefix(Int.random(in: 0...body.count, using: &generator))) }
            _ = try? RemoteWriteDecoder.decode(body, limits: .default)
            _ = try? LokiPushDecoder.decodeProtobuf(body, limits: .default)
            if round == 1000 { seed = try? Self.loki(lines: 3) }
        }
    }

    static func varint(_ value: Int) -> [UInt8] {
        var value = UInt64(value)
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
        return bytes
    }
}
