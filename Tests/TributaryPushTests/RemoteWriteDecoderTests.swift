import Foundation
import Testing
import TributaryModel
import TributaryPush
import TributaryPushFormats

/// Remote write 1.0 requests into samples: names, kinds, stale markers.
@Suite struct RemoteWriteDecoderTests {
    static func series(_ labels: [String: String], _ samples: [(Int64, Double)]) -> Prometheus_TimeSeries {
        var series = Prometheus_TimeSeries()
        series.labels = labels.sorted { $0.key < $1.key }.map { pair in
            var label = Prometheus_Label()
            label.name = pair.key
            label.value = pair.value
            return label
        }
        series.samples = samples.map { sample in
            var value = Prometheus_Sample()
            value.timestamp = sample.0
            value.value = sample.1
            return value
        }
        return series
    }

    @Test func seriesBecomeSamplesAndStaleMarkersKeepTheirBits() throws {
        let stale = Double(bitPattern: 0x7FF0_0000_0000_0002)
        var request = Prometheus_WriteRequest()
        request.timeseries = [
            Self.series(["__name__": "http_requests_total", "job": "api"], [(1_700_000_000_000, 5), (1_700_000_001_000, stale)]),
            Self.series(["__name__": "temperature", "room": "a", "empty": ""], [(1_700_000_000_500, 21.5)]),
        ]
        let records = try RemoteWriteDecoder.decode(try request.serializedBytes(), limits: .default)
        #expect(records.count == 3)
        guard case .metric(let first) = records[0], case .metric(let marker) = records[1], case .metric(let gauge) = records[2] else {
            Issue.record("expected samples"); return
        }
        #expect(first.name == "http_requests_total" && first.kind == .counter && first.value == 5)
        #expect(first.labels == (try Labels(["job": "api"])))
        #expect(first.timestamp == 1_700_000_000_000_000_000)
        #expect(marker.value.bitPattern == stale.bitPattern)
        let room = try Labels(["room": "a"])
        #expect(gauge.kind == .gauge && gauge.labels == room)
    }

    @Test func metadataDecidesTheKind() throws {
        var request = Prometheus_WriteRequest()
        request.timeseries = [Self.series(["__name__": "queue_length_total"], [(1, 1)]), Self.series(["__name__": "jobs_done"], [(1, 1)])]
        var gauge = Prometheus_MetricMetadata()
        gauge.type = .gauge
        gauge.metricFamilyName = "queue_length_total"
        var counter = Prometheus_MetricMetadata()
        counter.type = .counter
        counter.metricFamilyName = "jobs_done"
        request.metadata = [gauge, counter]
        let kinds = try RemoteWriteDecoder.decode(try request.serializedBytes(), limits: .default).compactMap { record -> MetricKind? in
            if case .metric(let sample) = record { return sample.kind } else { return nil }
        }
        #expect(kinds == [.gauge, .counter])
    }

    @Test func seriesWithoutANameOrWithBadLabelsAreRefused() throws {
        for labels in [["job": "x"], ["__name__": "m", "bad-name": "v"]] {
            var request = Prometheus_WriteRequest()
            request.timeseries = [Self.series(labels, [(1, 1)])]
            let error = #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(try request.serializedBytes(), limits: .default) }
            #expect(error?.status == 400)
        }
    }

    @Test func millisecondTimestampsBeyondRangeAreRefused() throws {
        var request = Prometheus_WriteRequest()
        request.timeseries = [Self.series(["__name__": "m"], [(Int64.max, 1)])]
        let error = #expect(throws: PushError.self) { try RemoteWriteDecoder.decode(try request.serializedBytes(), limits: .default) }
        #expect(error?.reason.contains("outside the range") == true)
    }
}
