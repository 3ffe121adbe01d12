import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import TributaryCompression
import TributaryPushFormats
import TributaryTestSupport

/// Hostile and broken push bodies against a real node: each gets a clear
/// 4xx, the node stays up, and what it acknowledged before is all there.
@Suite struct PushHostileTests {
    static func lokiBody(labels: String, lines: Int, at time: Int64, prefix: String = "line") throws -> [UInt8] {
        var request = Logproto_PushRequest()
        var stream = Logproto_StreamAdapter()
        stream.labels = labels
        stream.entries = (0..<lines).map { index in
            var entry = Logproto_EntryAdapter()
            let nanoseconds = time + Int64(index)
            entry.timestamp = Google_Protobuf_Timestamp(seconds: nanoseconds / 1_000_000_000, nanos: Int32(nanoseconds % 1_000_000_000))
            entry.line = "\(prefix) \(index)"
            return entry
        }
        request.streams = [stream]
        return SnappyBlock.compress(try request.serializedBytes() as [UInt8])
    }

    static func remoteWrite(_ series: [(labels: [(String, String)], samples: [(Int64, Double)])]) throws -> [UInt8] {
        var request = Prometheus_WriteRequest()
        request.timeseries = series.map { item in
            var series = Prometheus_TimeSeries()
            series.labels = item.labels.map { pair in
                var label = Prometheus_Label()
                label.name = pair.0
                label.value = pair.1
                return label
            }
            series.samples = item.samples.map { sample in
                var value = Prometheus_Sample()
                value.timestamp = sample.0
                value.value = sample.1
                return value
            }
            return series
        }
        return SnappyBlock.compress(try request.serializedBytes() as [UInt8])
    }

    static let protobuf = ["Content-Type": "application/x-protobuf", "Content-Encoding": "snappy"]

    @Test func hostileBodiesGetClearRefusalsAndLoseNothingAcknowledged() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let now = PushHTTP.now
        let good = try PushHTTP.post(port: http, "/loki/api/v1/push", body: try Self.lokiBody(labels: #"{app="kept"}"#, lines: 100, at: now - 60_000_000_000),
                                     headers: Self.protobuf)
        #expect(good.status == 204, "\(good.body)")
        let nowMilliseconds = now / 1_000_000
        let samples = try PushHTTP.post(port: http, "/api/v1/write", body: try Self.remoteWrite([
            (labels: [("__name__", "kept_total"), ("job", "a")], samples: (0..<10).map { (nowMilliseconds - 60_000 + Int64($0) * 1000, Double($0)) }),
        ]), headers: Self.protobuf)
        #expect(samples.status == 204, "\(samples.body)")

        var cases: [(String, String, [UInt8], [String: String], Int, String)] = []
        cases.append(("garbage protobuf", "/loki/api/v1/push", SnappyBlock.compress([0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]), Self.protobuf, 400, "PushRequest"))
        cases.append(("not snappy", "/api/v1/write", Array("plain text, not snappy".utf8), Self.protobuf, 400, "snappy"))
        // 80 MiB of zeros compress to ~4 MB: over max_decompressed_bytes (64 MiB).
        let zeros = [UInt8](repeating: 0, count: 80 << 20)
        cases.append(("snappy bomb", "/api/v1/write", SnappyBlock.compress(zeros), Self.protobuf, 413, "max_decompressed_bytes"))
        cases.append(("lying snappy header", "/loki/api/v1/push", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00], Self.protobuf, 413, "max_decompressed_bytes"))
        var gzipped = ByteBuffer()
        _ = Deflater(level: .smallest, format: .gzip).compress(ByteBuffer(bytes: zeros), appendingTo: &gzipped)
        cases.append(("gzip bomb", "/loki/api/v1/push", Array(gzipped.readableBytesView), ["Content-Type": "application/json", "Content-Encoding": "gzip"],
                      413, "max_decompressed_bytes"))
        cases.append(("wrong content type", "/loki/api/v1/push", Array("hello".utf8), ["Content-Type": "text/plain"], 415, "application/x-protobuf"))
        cases.append(("remote write 2.0", "/api/v1/write", Array("x".utf8),
                      ["Content-Type": "application/x-protobuf;proto=io.prometheus.write.v2.Request", "Content-Encoding": "snappy"], 415, "2.0"))
        cases.append(("unknown encoding", "/v1/logs", Array("x".utf8), ["Content-Type": "application/x-protobuf", "Content-Encoding": "br"], 415, "br"))
        let million = (0..<1_000_000).map { ("l\($0)", "v") }
        cases.append(("a million labels (remote write)", "/api/v1/write", try Self.remoteWrite([(labels: [("__name__", "m")] + million, samples: [(nowMilliseconds, 1)])]),
                      Self.protobuf, 400, "max_labels_per_series"))
        let manyLabels = "{" + million.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}"
        cases.append(("a million labels (Loki)", "/loki/api/v1/push", try Self.lokiBody(labels: manyLabels, lines: 1, at: now), Self.protobuf, 400,
                      "max_labels_per_series"))
        cases.append(("timestamp beyond nanoseconds", "/api/v1/write", try Self.remoteWrite([(labels: [("__name__", "m")], samples: [(Int64.max, 1)])]),
                      Self.protobuf, 400, "outside the range"))
        cases.append(("timestamps of 1971", "/loki/api/v1/push", try Self.lokiBody(labels: #"{app="old"}"#, lines: 3, at: 31_536_000_000_000_000),
                      Self.protobuf, 400, "max_record_age"))
        cases.append(("bad JSON", "/loki/api/v1/push", Array(#"{"streams": [{"stream": {}, "values": 5}]}"#.utf8), ["Content-Type": "application/json"], 400,
                      "streams[0]"))
        cases.append(("bad OTLP", "/v1/metrics", [0x0A, 0x05, 0x01], ["Content-Type": "application/x-protobuf"], 400, "ExportMetricsServiceRequest"))
        for (name, path, body, headers, status, reason) in cases {
            let answer = try PushHTTP.post(port: http, path, body: body, headers: headers)
            #expect(answer.status == status, "\(name): \(answer.status) \(answer.body)")
            #expect(answer.body.contains(reason), "\(name): \(answer.body)")
        }
        // Credentials: none is 401, a token without the ingest role 403.
        let anonymous = try PushHTTP.post(port: http, "/api/v1/write", body: [], headers: Self.protobuf, token: nil)
        #expect(anonymous.status == 401)
        let admin = try PushHTTP.post(port: http, "/api/v1/write", body: [], headers: Self.protobuf, token: NodeHTTP.adminToken)
        #expect(admin.status == 403 && admin.body.contains("ingest"), "\(admin.body)")

        #expect(try NodeHTTP.get(port: http, "/healthz", token: nil).status == 200)
        let kept = try NodeHTTP.query(port: http, #"{app="kept"}"#, ["limit": "1000", "start": String(now / 1_000_000_000 - 120)])
        #expect(kept.lines.count == 100, "\(kept.body.prefix(300))")
        let old = try NodeHTTP.query(port: http, #"{app="old"}"#, ["limit": "10", "start": "0"])
        #expect(old.lines.isEmpty)
        let count = try NodeHTTP.get(port: http, "/api/v1/query?" + PushClientTests.form(["query": "count_over_time(kept_total[5m])"]))
        #expect(PushClientTests.value(count) == 10, "\(count.body)")
    }

    @Test func outOfOrderSamplesInABucketAreKeptAndRetriedRequestsStoredOnce() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let base = PushHTTP.now / 1_000_000 - 120_000
        // Newest first, one request per sample, then every request again.
        let bodies = try (0..<20).reversed().map { index in
            try Self.remoteWrite([(labels: [("__name__", "late_gauge"), ("job", "ooo")], samples: [(base + Int64(index) * 5000, Double(index))])])
        }
        for body in bodies + bodies {
            let answer = try PushHTTP.post(port: http, "/api/v1/write", body: body, headers: Self.protobuf)
            #expect(answer.status == 204, "\(answer.body)")
        }
        let count = try NodeHTTP.get(port: http, "/api/v1/query?" + PushClientTests.form(["query": "count_over_time(late_gauge[10m])"]))
        #expect(PushClientTests.value(count) == 20, "\(count.body)")
        let sum = try NodeHTTP.get(port: http, "/api/v1/query?" + PushClientTests.form(["query": "sum_over_time(late_gauge[10m])"]))
        #expect(PushClientTests.value(sum) == 190, "\(sum.body)")
    }
}
