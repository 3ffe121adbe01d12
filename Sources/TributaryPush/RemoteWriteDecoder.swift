import TributaryModel

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
///
/// The message is read in place with `ProtobufReader` (the generated
/// `Prometheus_WriteRequest` stays for clients and tests): this is the
/// node's hottest push path, and series repeat in every request, so with a
/// `RemoteWriteSeriesCache` a known series costs a dictionary lookup of
/// its raw label bytes instead of a `String` per label and a validation.
public enum RemoteWriteDecoder {
    public static func decode(_ bytes: [UInt8], limits: PushLimits, cache: RemoteWriteSeriesCache? = nil) throws(PushError) -> [Record] {
        try decodeRequest(bytes, limits: limits, cache: cache).records()
    }

    /// Like `decode`, and appends to `streams` the stream labels (labels
    /// with `__name__`) of the request's series, each once, in order: the
    /// part a node files the records under lists exactly these, so it need
    /// not derive them from every sample again. With a cache, repeated
    /// series are recognised by their entry; without one, every series
    /// is listed (a request rarely repeats one).
    public static func decode(_ bytes: [UInt8], limits: PushLimits, cache: RemoteWriteSeriesCache?,
                              streams: inout [Labels]) throws(PushError) -> [Record] {
        let request = try decodeRequest(bytes, limits: limits, cache: cache)
        streams += request.streams
        return request.records()
    }

    /// The request as series and sample columns (`RemoteWriteRequest`),
    /// the form a node stores without a `Record` per sample.
    public static func decodeRequest(_ bytes: [UInt8], limits: PushLimits, cache: RemoteWriteSeriesCache?) throws(PushError) -> RemoteWriteRequest {
        do throws(PushError) {
            return try decodeMessage(bytes, limits: limits, cache: cache)
        } catch {
            guard error.kind == .badRequest, error.reason.hasPrefix("malformed protobuf") else { throw error }
            throw .badRequest("the body is not a Prometheus remote write 1.0 WriteRequest protobuf message (\(error.reason))")
        }
    }

    private static func decodeMessage(_ bytes: [UInt8], limits: PushLimits, cache: RemoteWriteSeriesCache?) throws(PushError) -> RemoteWriteRequest {
        var reader = ProtobufReader(bytes)
        var seriesRanges: [Range<Int>] = []
        var kinds: [String: MetricKind] = [:]
        while let field = try reader.nextField() {
            switch field.number {
            case 1:
                try reader.expect(field.type, .lengthDelimited, field: "WriteRequest.timeseries")
                seriesRanges.append(try reader.lengthDelimited())
                guard seriesRanges.count <= limits.maxSeriesPerRequest else {
                    throw .tooLarge("the request has more than \(limits.maxSeriesPerRequest) time series, over push.max_series_per_request (\(limits.maxSeriesPerRequest))")
                }
            case 3:
                try reader.expect(field.type, .lengthDelimited, field: "WriteRequest.metadata")
                try readMetadata(bytes, range: try reader.lengthDelimited(), into: &kinds)
            default:
                try reader.skip(field.type)
            }
        }
        var request = RemoteWriteRequest()
        request.reserveCapacity(series: seriesRanges.count, samples: min(seriesRanges.count, limits.maxRecordsPerRequest))
        var labelRanges: [Range<Int>] = []
        /// Where each cached series is listed in `request.series`.
        var listed: [UInt64: Int] = [:]
        for (index, range) in seriesRanges.enumerated() {
            labelRanges.removeAll(keepingCapacity: true)
            let start = request.sampleCount
            var series = ProtobufReader(bytes, range: range)
            while let field = try series.nextField() {
                switch field.number {
                case 1:
                    try series.expect(field.type, .lengthDelimited, field: "TimeSeries.labels")
                    labelRanges.append(try series.lengthDelimited())
                    guard labelRanges.count <= limits.maxLabelsPerSeries else {
                        throw .badRequest("timeseries[\(index)] has more than \(limits.maxLabelsPerSeries) labels, over push.max_labels_per_series (\(limits.maxLabelsPerSeries))")
                    }
                case 2:
                    try series.expect(field.type, .lengthDelimited, field: "TimeSeries.samples")
                    let sample = try readSample(bytes, range: try series.lengthDelimited())
                    request.appendSample(milliseconds: sample.timestamp, bits: sample.value)
                    guard request.sampleCount <= limits.maxRecordsPerRequest else {
                        throw .tooLarge("the request has more than \(limits.maxRecordsPerRequest) samples, over push.max_records_per_request (\(limits.maxRecordsPerRequest)): lower queue_config.max_samples_per_send")
                    }
                default:
                    try series.skip(field.type)
                }
            }
            let entry = try resolve(bytes, labels: labelRanges, index: index, cache: cache)
            guard request.sampleCount > start else { continue }
            try request.scaleTimestamps(from: start, what: "timeseries[\(index)] (\(entry.name))")
            let metricKind = kinds.isEmpty ? entry.kindByName : kind(of: entry.name, metadata: kinds)
            let position = entry.id == 0 ? nil : listed[entry.id]
            if position == nil, entry.id != 0 { listed[entry.id] = request.series.count }
            request.addRun(entry, listedAt: position, kind: metricKind, from: start)
        }
        return request
    }

    /// The name and labels of a series from its label fields, through the cache.
    private static func resolve(_ bytes: [UInt8], labels: [Range<Int>], index: Int, cache: RemoteWriteSeriesCache?) throws(PushError) -> RemoteWriteSeries {
        var hash: UInt64 = 0
        if let cache {
            hash = RemoteWriteSeriesKey.hash(bytes, labels: labels)
            if let series = cache.series(hash: hash, bytes, labels: labels) { return series }
        }
        var name: String?
        var pairs: [Label] = []
        pairs.reserveCapacity(labels.count)
        for range in labels {
            var reader = ProtobufReader(bytes, range: range)
            var nameRange = 0..<0
            var valueRange = 0..<0
            while let field = try reader.nextField() {
                switch field.number {
                case 1:
                    try reader.expect(field.type, .lengthDelimited, field: "Label.name")
                    nameRange = try reader.lengthDelimited()
                case 2:
                    try reader.expect(field.type, .lengthDelimited, field: "Label.value")
                    valueRange = try reader.lengthDelimited()
                default:
                    try reader.skip(field.type)
                }
            }
            let labelName = try reader.string(nameRange, field: "Label.name")
            let value = try reader.string(valueRange, field: "Label.value")
            if labelName == "__name__" { name = value } else if !value.isEmpty { pairs.append(Label(labelName, value)) }
        }
        guard let name, !name.isEmpty else {
            throw .badRequest("timeseries[\(index)] has no __name__ label (every remote-write series needs a metric name)")
        }
        let labelSet: Labels
        do { labelSet = try Labels(pairs) } catch { throw .badRequest("timeseries[\(index)] (\(name)): \(error)") }
        guard let cache else { return RemoteWriteSeries(name: name, labels: labelSet, id: 0) }
        let series = cache.makeSeries(name: name, labels: labelSet)
        cache.insert(hash: hash, key: RemoteWriteSeriesKey.make(bytes, labels: labels), series)
        return series
    }

    private static func readSample(_ bytes: [UInt8], range: Range<Int>) throws(PushError) -> (timestamp: Int64, value: UInt64) {
        var reader = ProtobufReader(bytes, range: range)
        var value: UInt64 = 0
        var timestamp: Int64 = 0
        while let field = try reader.nextField() {
            switch field.number {
            case 1:
                try reader.expect(field.type, .fixed64, field: "Sample.value")
                value = try reader.fixed64()
            case 2:
                try reader.expect(field.type, .varint, field: "Sample.timestamp")
                timestamp = Int64(bitPattern: try reader.varint())
            default:
                try reader.skip(field.type)
            }
        }
        return (timestamp, value)
    }

    /// `MetricMetadata`: the kind a family's type implies (unknown types ignored).
    private static func readMetadata(_ bytes: [UInt8], range: Range<Int>, into kinds: inout [String: MetricKind]) throws(PushError) {
        var reader = ProtobufReader(bytes, range: range)
        var type: UInt64 = 0
        var family = 0..<0
        while let field = try reader.nextField() {
            switch field.number {
            case 1:
                try reader.expect(field.type, .varint, field: "MetricMetadata.type")
                type = try reader.varint()
            case 2:
                try reader.expect(field.type, .lengthDelimited, field: "MetricMetadata.metric_family_name")
                family = try reader.lengthDelimited()
            default:
                try reader.skip(field.type)
            }
        }
        let name = try reader.string(family, field: "MetricMetadata.metric_family_name")
        switch Int32(truncatingIfNeeded: type) {
        case 1: kinds[name] = .counter
        case 0, 2, 3, 4, 5, 6, 7: kinds[name] = .gauge
        default: break
        }
    }

    static func kind(of name: String, metadata: [String: MetricKind]) -> MetricKind {
        if metadata.isEmpty {
            return name.hasSuffix("_total") || name.hasSuffix("_count") || name.hasSuffix("_sum") || name.hasSuffix("_bucket") ? .counter : .gauge
        }
        if let kind = metadata[name] { return kind }
        for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
            let family = String(name.dropLast(suffix.count))
            if metadata[family] != nil { return .counter }
        }
        if !metadata.isEmpty, metadata[name.hasSuffix("_total") ? String(name.dropLast(6)) : name] == .counter { return .counter }
        return name.hasSuffix("_total") || name.hasSuffix("_count") || name.hasSuffix("_sum") || name.hasSuffix("_bucket") ? .counter : .gauge
    }
}
