import SwiftProtobuf
import TributaryModel
import TributaryPushFormats

/// Prometheus remote write 1.0 (`prometheus.WriteRequest`, protobuf, the
/// body a snappy block) into metric samples.
///
/// `__name__` becomes the sample's name and the other labels its labels.
/// Values are kept bit for bit, so staleness markers (a NaN with
/// Prometheus' own bit pattern) survive. The kind is `counter` when the
/// request's metadata says COUNTER (or the series is a histogram's or
/// summary's `_bucket`, `_count` or `_sum`), or, without metadata, when the
/// name ends in `_total`, `_count`, `_sum` or `_bucket`; `gauge` otherwise.
/// Native histograms and exemplars are not read (skipped as unknown fields).
public enum RemoteWriteDecoder {
    public static func decode(_ bytes: [UInt8], limits: PushLimits) throws(PushError) -> [Record] {
        let request: Prometheus_WriteRequest
        do {
            request = try Prometheus_WriteRequest(serializedBytes: bytes)
        } catch {
            throw .badRequest("the body is not a Prometheus remote write 1.0 WriteRequest protobuf message (\(error))")
        }
        guard request.timeseries.count <= limits.maxSeriesPerRequest else {
            throw .tooLarge("the request has \(request.timeseries.count) time series, over push.max_series_per_request (\(limits.maxSeriesPerRequest))")
        }
        var kinds: [String: MetricKind] = [:]
        for metadata in request.metadata {
            switch metadata.type {
            case .counter: kinds[metadata.metricFamilyName] = .counter
            case .gauge, .info, .stateset, .unknown: kinds[metadata.metricFamilyName] = .gauge
            case .histogram, .gaugehistogram, .summary: kinds[metadata.metricFamilyName] = .gauge
            case .UNRECOGNIZED: break
            }
        }
        let total = request.timeseries.reduce(0) { $0 + $1.samples.count }
        guard total <= limits.maxRecordsPerRequest else {
            throw .tooLarge("the request has \(total) samples, over push.max_records_per_request (\(limits.maxRecordsPerRequest)): lower queue_config.max_samples_per_send")
        }
        var records: [Record] = []
        records.reserveCapacity(total)
        for (index, series) in request.timeseries.enumerated() {
            guard series.labels.count <= limits.maxLabelsPerSeries else {
                throw .badRequest("timeseries[\(index)] has \(series.labels.count) labels, over push.max_labels_per_series (\(limits.maxLabelsPerSeries))")
            }
            var name: String?
            var pairs: [Label] = []
            pairs.reserveCapacity(series.labels.count)
            for label in series.labels {
                if label.name == "__name__" { name = label.value } else if !label.value.isEmpty { pairs.append(Label(label.name, label.value)) }
            }
            guard let name, !name.isEmpty else {
                throw .badRequest("timeseries[\(index)] has no __name__ label (every remote-write series needs a metric name)")
            }
            let labels: Labels
            do { labels = try Labels(pairs) } catch { throw .badRequest("timeseries[\(index)] (\(name)): \(error)") }
            let kind = kind(of: name, metadata: kinds)
            for sample in series.samples {
                let timestamp = try PushTime.nanoseconds(milliseconds: sample.timestamp, what: "timeseries[\(index)] (\(name))")
                records.append(.metric(MetricSample(name: name, labels: labels, timestamp: timestamp, value: sample.value, kind: kind)))
            }
        }
        return records
    }

    static func kind(of name: String, metadata: [String: MetricKind]) -> MetricKind {
        if let kind = metadata[name] { return kind }
        for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
            let family = String(name.dropLast(suffix.count))
            if metadata[family] != nil { return .counter }
        }
        if !metadata.isEmpty, metadata[name.hasSuffix("_total") ? String(name.dropLast(6)) : name] == .counter { return .counter }
        return name.hasSuffix("_total") || name.hasSuffix("_count") || name.hasSuffix("_sum") || name.hasSuffix("_bucket") ? .counter : .gauge
    }
}
