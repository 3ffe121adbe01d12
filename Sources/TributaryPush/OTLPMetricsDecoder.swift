import Foundation
import SwiftProtobuf
import TributaryModel
import TributaryPushFormats

/// OTLP/HTTP metrics (`ExportMetricsServiceRequest`, protobuf or JSON)
/// into metric samples, as Prometheus' OTLP receiver maps them:
///
/// - names by `OTLPMetricName`; data point attributes become labels
///   (`OTLPAttributes.labelName`); `job` is `service.namespace/service.name`
///   (or `service.name`) and `instance` is `service.instance.id`; the other
///   resource attributes go to a `target_info` gauge (value 1) per resource;
/// - gauges and non-monotonic sums are gauges; monotonic cumulative sums
///   are counters named `…_total`; monotonic delta sums keep that name but
///   are stored as they come, as gauges of increments (query them with
///   `sum_over_time`, not `rate`), where Prometheus would refuse them;
/// - classic histograms become `_bucket{le}` (cumulative), `_sum`,
///   `_count`; summaries `{quantile}`, `_sum`, `_count`;
/// - a point flagged "no recorded value" is a staleness marker.
///
/// Exponential histograms have no classic form and are skipped.
public enum OTLPMetricsDecoder {
    /// Prometheus' staleness marker (a NaN with this bit pattern).
    public static let staleNaN = Double(bitPattern: 0x7FF0_0000_0000_0002)

    public static func decode(_ bytes: [UInt8], json: Bool, limits: PushLimits) throws(PushError) -> [Record] {
        let request: Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceRequest
        do {
            if json {
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                request = try .init(jsonUTF8Bytes: bytes, options: options)
            } else {
                request = try .init(serializedBytes: bytes)
            }
        } catch {
            throw .badRequest("the body is not an OTLP ExportMetricsServiceRequest (\(json ? "JSON" : "protobuf"): \(error))")
        }
        var output = Output(limits: limits)
        for resourceMetrics in request.resourceMetrics {
            var attributes: [String: String] = [:]
            for attribute in resourceMetrics.resource.attributes { attributes[attribute.key] = OTLPAttributes.text(attribute.value) }
            var base: [Label] = []
            if let service = attributes["service.name"] {
                base.append(Label("job", attributes["service.namespace"].map { "\($0)/\(service)" } ?? service))
            }
            if let instance = attributes["service.instance.id"] { base.append(Label("instance", instance)) }
            var latest: Int64?
            for scopeMetrics in resourceMetrics.scopeMetrics {
                for metric in scopeMetrics.metrics {
                    try output.add(metric, base: base, latest: &latest)
                }
            }
            let info = attributes.filter { !["service.name", "service.namespace", "service.instance.id"].contains($0.key) }
            if let latest, !info.isEmpty, !base.isEmpty, info.count + base.count <= limits.maxLabelsPerSeries {
                let pairs = OTLPLogsDecoder.unique(base + info.sorted { $0.key < $1.key }.map { Label(OTLPAttributes.labelName($0.key), $0.value) })
                try output.append("target_info", pairs, latest, 1, .gauge)
            }
        }
        return output.records
    }

    /// Samples collected under the request's limits.
    struct Output {
        let limits: PushLimits
        var records: [Record] = []
        var series: Set<String> = []

        init(limits: PushLimits) { self.limits = limits }

        mutating func add(_ metric: Opentelemetry_Proto_Metrics_V1_Metric, base: [Label], latest: inout Int64?) throws(PushError) {
            func time(_ nanoseconds: UInt64) throws(PushError) -> Int64 {
                let value = try PushTime.nanoseconds(unsigned: nanoseconds, what: "metric \(metric.name)")
                latest = max(latest ?? value, value)
                return value
            }
            func labels(_ attributes: [Opentelemetry_Proto_Common_V1_KeyValue]) -> [Label] {
                base + attributes.map { Label(OTLPAttributes.labelName($0.key), OTLPAttributes.text($0.value)) }
            }
            func value(_ point: Opentelemetry_Proto_Metrics_V1_NumberDataPoint) -> Double {
                if point.flags & 1 != 0 { return OTLPMetricsDecoder.staleNaN }
                switch point.value {
                case .asDouble(let double): return double
                case .asInt(let int): return Double(int)
                case nil: return 0
                }
            }
            switch metric.data {
            case .gauge(let gauge):
                let name = OTLPMetricName.name(metric.name, unit: metric.unit, counter: false, gauge: true)
                for point in gauge.dataPoints { try append(name, labels(point.attributes), try time(point.timeUnixNano), value(point), .gauge) }
            case .sum(let sum):
                let counter = sum.isMonotonic
                let name = OTLPMetricName.name(metric.name, unit: metric.unit, counter: counter, gauge: !counter)
                let kind: MetricKind = counter && sum.aggregationTemporality != .delta ? .counter : .gauge
                for point in sum.dataPoints { try append(name, labels(point.attributes), try time(point.timeUnixNano), value(point), kind) }
            case .histogram(let histogram):
                let name = OTLPMetricName.name(metric.name, unit: metric.unit, counter: false, gauge: false)
                let kind: MetricKind = histogram.aggregationTemporality == .delta ? .gauge : .counter
                for point in histogram.dataPoints {
                    let timestamp = try time(point.timeUnixNano)
                    let pairs = labels(point.attributes)
                    let stale = point.flags & 1 != 0
                    var cumulative: UInt64 = 0
                    for (index, bound) in point.explicitBounds.enumerated() where index < point.bucketCounts.count {
                        cumulative &+= point.bucketCounts[index]
                        try append(name + "_bucket", pairs + [Label("le", OTLPMetricName.format(bound))], timestamp,
                                   stale ? OTLPMetricsDecoder.staleNaN : Double(cumulative), kind)
                    }
                    try append(name + "_bucket", pairs + [Label("le", "+Inf")], timestamp, stale ? OTLPMetricsDecoder.staleNaN : Double(point.count), kind)
                    if point.hasSum { try append(name + "_sum", pairs, timestamp, stale ? OTLPMetricsDecoder.staleNaN : point.sum, kind) }
                    try append(name + "_count", pairs, timestamp, stale ? OTLPMetricsDecoder.staleNaN : Double(point.count), kind)
                }
            case .summary(let summary):
                let name = OTLPMetricName.name(metric.name, unit: metric.unit, counter: false, gauge: false)
                for point in summary.dataPoints {
                    let timestamp = try time(point.timeUnixNano)
                    let pairs = labels(point.attributes)
                    let stale = point.flags & 1 != 0
                    for quantile in point.quantileValues {
                        try append(name, pairs + [Label("quantile", OTLPMetricName.format(quantile.quantile))], timestamp,
                                   stale ? OTLPMetricsDecoder.staleNaN : quantile.value, .gauge)
                    }
                    try append(name + "_sum", pairs, timestamp, stale ? OTLPMetricsDecoder.staleNaN : point.sum, .counter)
                    try append(name + "_count", pairs, timestamp, stale ? OTLPMetricsDecoder.staleNaN : Double(point.count), .counter)
                }
            case .exponentialHistogram, nil:
                break
            }
        }

        mutating func append(_ name: String, _ pairs: [Label], _ timestamp: Int64, _ value: Double, _ kind: MetricKind) throws(PushError) {
            guard pairs.count < limits.maxLabelsPerSeries else {
                throw .badRequest("metric \(name) has \(pairs.count + 1) labels, over push.max_labels_per_series (\(limits.maxLabelsPerSeries))")
            }
            guard records.count < limits.maxRecordsPerRequest else {
                throw .tooLarge("the request has more than \(limits.maxRecordsPerRequest) samples (push.max_records_per_request)")
            }
            let labels: Labels
            do { labels = try Labels(OTLPLogsDecoder.unique(pairs)) } catch { throw .badRequest("metric \(name): \(error)") }
            if series.count < limits.maxSeriesPerRequest || series.contains(name + labels.description) {
                series.insert(name + labels.description)
            } else {
                throw .tooLarge("the request has more than \(limits.maxSeriesPerRequest) series (push.max_series_per_request)")
            }
            records.append(.metric(MetricSample(name: name, labels: labels, timestamp: timestamp, value: value, kind: kind)))
        }
    }
}
