import TributaryModel
import TributaryWire

/// One remote-write series as decoded once and then kept by the
/// `RemoteWriteSeriesCache`: everything its samples need on the way to the
/// write-ahead log, so a known series costs a lookup of its label bytes.
/// A class: requests list their series by reference (one retain, not one
/// per field).
public final class RemoteWriteSeries: Sendable {
    public let name: String
    /// The labels without `__name__`.
    public let labels: Labels
    /// `labels` with `__name__`: the stream the storage files it under.
    public let streamLabels: Labels
    /// Distinct per series made (0 without a cache), so a request's series
    /// are told apart without hashing their labels.
    public let id: UInt64
    /// The table strings a metric batch writes for it.
    public let batchSeries: BatchSeries
    /// Its kind when the request carries no metadata (by name: `_total`,
    /// `_count`, `_sum`, `_bucket` are counters).
    public let kindByName: MetricKind

    init(name: String, labels: Labels, id: UInt64) {
        self.name = name
        self.labels = labels
        self.streamLabels = (try? labels.setting("__name__", to: name)) ?? labels
        self.id = id
        self.batchSeries = BatchSeries(name: name, labels: labels, id: id)
        self.kindByName = name.hasSuffix("_total") || name.hasSuffix("_count") || name.hasSuffix("_sum") || name.hasSuffix("_bucket")
            ? .counter : .gauge
    }

    /// Bytes held, for the cache's bound.
    var byteCount: Int { 128 + batchSeries.byteCount + 2 * labels.reduce(name.utf8.count) { $0 + $1.name.utf8.count + $1.value.utf8.count + 32 } }
}
