import Foundation
import SwiftProtobuf
import TributaryCompression
import TributaryPushFormats

/// The request bodies of `trib bench push`, built before anything is
/// timed: remote write requests as Prometheus sends them (snappy blocks of
/// `prometheus.WriteRequest`, every series once per round, in requests of
/// `samplesPerRequest` samples) and Loki pushes as Promtail sends them
/// (snappy blocks of `logproto.PushRequest` of `linesPerRequest` Loghub
/// lines, one stream per source file).
struct PushLoad {
    /// Remote write: `rounds` × `series` samples, 10 s apart, ending now.
    static func remoteWrite(series: Int, rounds: Int, samplesPerRequest: Int, now: Int64) throws -> [[UInt8]] {
        let labels: [[Prometheus_Label]] = (0..<series).map { index in
            [label("__name__", "bench_requests_total"), label("instance", "host-\(index / 100)"), label("job", "bench"),
             label("series", String(index))]
        }
        var bodies: [[UInt8]] = []
        let first = now / 1_000_000 - Int64(rounds) * 10_000
        for round in 0..<rounds {
            let timestamp = first + Int64(round) * 10_000
            var start = 0
            while start < series {
                var request = Prometheus_WriteRequest()
                request.timeseries = (start..<min(series, start + samplesPerRequest)).map { index in
                    var timeSeries = Prometheus_TimeSeries()
                    timeSeries.labels = labels[index]
                    var sample = Prometheus_Sample()
                    sample.timestamp = timestamp
                    sample.value = Double(round * 7 + index % 13)
                    timeSeries.samples = [sample]
                    return timeSeries
                }
                bodies.append(SnappyBlock.compress(try request.serializedBytes() as [UInt8]))
                start += samplesPerRequest
            }
        }
        return bodies
    }

    /// Loki pushes: `lines` Loghub lines in requests of `linesPerRequest`,
    /// 1 µs apart, ending now. Returns the bodies and the bytes of text.
    static func loki(corpus: LoghubCorpus, lines: Int, linesPerRequest: Int, now: Int64) throws -> ([[UInt8]], Int) {
        var bodies: [[UInt8]] = []
        var text = 0
        var produced = 0
        var time = now - Int64(lines) * 1000
        var fileIndex = 0
        var lineIndex = 0
        while produced < lines {
            var request = Logproto_PushRequest()
            var streams: [String: Logproto_StreamAdapter] = [:]
            var order: [String] = []
            for _ in 0..<min(linesPerRequest, lines - produced) {
                let file = corpus.files[fileIndex % corpus.files.count]
                let key = #"{app="\#(file.name.prefix { $0 != "_" }.lowercased())", host="bench-1", source="\#(file.name)"}"#
                if streams[key] == nil {
                    var stream = Logproto_StreamAdapter()
                    stream.labels = key
                    streams[key] = stream
                    order.append(key)
                }
                var entry = Logproto_EntryAdapter()
                entry.timestamp = Google_Protobuf_Timestamp(seconds: time / 1_000_000_000, nanos: Int32(time % 1_000_000_000))
                entry.line = file.lines[lineIndex % file.lines.count]
                text += entry.line.utf8.count
                streams[key]?.entries.append(entry)
                time += 1000
                produced += 1
                lineIndex += 1
                if lineIndex % file.lines.count == 0 { fileIndex += 1 }
            }
            request.streams = order.compactMap { streams[$0] }
            bodies.append(SnappyBlock.compress(try request.serializedBytes() as [UInt8]))
        }
        return (bodies, text)
    }

    private static func label(_ name: String, _ value: String) -> Prometheus_Label {
        var label = Prometheus_Label()
        label.name = name
        label.value = value
        return label
    }
}
