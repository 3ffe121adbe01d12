import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import TributaryModel
import TributaryPush
import TributaryPushFormats

/// Loki push bodies (protobuf as Promtail sends them, JSON as Fluent Bit
/// does) into records, and the bodies that must be refused.
@Suite struct LokiPushDecoderTests {
    static func request(labels: String, lines: [(Int64, Int32, String)], metadata: [(String, String)] = []) -> [UInt8] {
        var request = Logproto_PushRequest()
        var stream = Logproto_StreamAdapter()
        stream.labels = labels
        for (seconds, nanos, line) in lines {
            var entry = Logproto_EntryAdapter()
            entry.timestamp = Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos)
            entry.line = line
            entry.structuredMetadata = metadata.map { pair in
                var label = Logproto_LabelPairAdapter()
                label.name = pair.0
                label.value = pair.1
                return label
            }
            stream.entries.append(entry)
        }
        request.streams = [stream]
        return try! request.serializedBytes()
    }

    @Test func protobufStreamsBecomeLogRecordsWithMetadataAsFields() throws {
        let body = Self.request(labels: #"{app="api", level="warn", path="a\"b\\c"}"#, lines: [(1_700_000_000, 5, "slow request")],
                                metadata: [("trace_id", "abc123"), ("user", "ann")])
        let records = try LokiPushDecoder.decodeProtobuf(body, limits: .default)
        guard case .log(let log)? = records.first, records.count == 1 else { Issue.record("expected one log record: \(records)"); return }
        #expect(log.timestamp == 1_700_000_000_000_000_005)
        #expect(log.labels == (try Labels(["app": "api", "level": "warn", "path": #"a"b\c"#])))
        #expect(log.severity == .warning)
        #expect(log.message == ByteBuffer(string: "slow request"))
        #expect(log.fields == [Field("trace_id", "abc123"), Field("user", "ann")])
    }

    @Test func jsonStreamsWithStructuredMetadataDecode() throws {
        let json = #"{"streams":[{"stream":{"job":"fluent-bit","host":"h1"},"values":[["1700000000000000001","one"],["1700000000000000002","two",{"level":"error","pid":"7"}]]}]}"#
        let records = try LokiPushDecoder.decodeJSON(Array(json.utf8), limits: .default)
        #expect(records.count == 2)
        guard case .log(let second) = records[1] else { Issue.record("not a log"); return }
        #expect(second.timestamp == 1_700_000_000_000_000_002)
        #expect(second.labels == (try Labels(["job": "fluent-bit", "host": "h1"])))
        #expect(second.fields == [Field("level", "error"), Field("pid", "7")])
        #expect(second.severity == .error)
    }

    @Test func badLabelsAreRefusedWithTheReason() throws {
        for labels in ["app=\"x\"", #"{app="x""#, #"{1app="x"}"#, "{}", #"{app="x", app="y"}"#, #"{app=x}"#] {
            let error = #expect(throws: PushError.self) { try LokiPushDecoder.decodeProtobuf(Self.request(labels: labels, lines: [(1, 0, "l")]), limits: .default) }
            #expect(error?.status == 400, "\(labels)")
            #expect(error?.reason.isEmpty == false)
        }
    }

    @Test func tooManyLabelsOrStreamsOrLinesAreRefused() throws {
        let many = "{" + (0..<100).map { "l\($0)=\"v\"" }.joined(separator: ",") + "}"
        let labels = #expect(throws: PushError.self) { try LokiPushDecoder.decodeProtobuf(Self.request(labels: many, lines: [(1, 0, "l")]), limits: .default) }
        #expect(labels?.reason.contains("push.max_labels_per_series") == true)
        var limits = PushLimits()
        limits.maxRecordsPerRequest = 2
        let lines = #expect(throws: PushError.self) {
            try LokiPushDecoder.decodeProtobuf(Self.request(labels: #"{a="b"}"#, lines: [(1, 0, "a"), (2, 0, "b"), (3, 0, "c")]), limits: limits)
        }
        #expect(lines?.status == 413)
    }

    @Test func timestampsBeyondNanosecondRangeAreRefusedNotTrapped() throws {
        let error = #expect(throws: PushError.self) {
            try LokiPushDecoder.decodeProtobuf(Self.request(labels: #"{a="b"}"#, lines: [(Int64.max / 2, 0, "far")]), limits: .default)
        }
        #expect(error?.status == 400)
        let json = #"{"streams":[{"stream":{"a":"b"},"values":[["99999999999999999999999","x"]]}]}"#
        #expect(throws: PushError.self) { try LokiPushDecoder.decodeJSON(Array(json.utf8), limits: .default) }
    }

    @Test func garbageIsNotARequest() throws {
        #expect(throws: PushError.self) { try LokiPushDecoder.decodeProtobuf([0xFF, 0xFF, 0xFF, 0x01, 0x02], limits: .default) }
        #expect(throws: PushError.self) { try LokiPushDecoder.decodeJSON(Array("{\"streams\": 3}".utf8), limits: .default) }
        #expect(throws: PushError.self) { try LokiPushDecoder.decodeJSON(Array("not json".utf8), limits: .default) }
    }
}
