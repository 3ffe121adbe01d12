import TributaryModel
import TributaryWire

/// A decoded remote-write request as columns: its series (each once), and
/// its samples in request order as runs of one series over flat timestamp
/// and value columns. A node writes these to a metric batch directly
/// (`MetricBatchEncoder`) without a `Record` per sample; `records()` gives
/// the same samples as records where those are needed.
public struct RemoteWriteRequest: Sendable {
    /// Series with samples, in order of first appearance; with a cache a
    /// series listed twice in the request appears here once.
    public internal(set) var series: [RemoteWriteSeries] = []
    public internal(set) var runs: [MetricRun] = []
    /// Nanoseconds since the epoch.
    public internal(set) var timestamps: [Int64] = []
    /// The values' bits, as sent (stale markers keep their NaN pattern).
    public internal(set) var values: [UInt64] = []

    public init() {}

    public var sampleCount: Int { timestamps.count }

    /// The series as a metric batch takes them (parallel to `series`).
    public var batchSeries: [BatchSeries] { series.map(\.batchSeries) }

    /// The stream labels (with `__name__`) of `series`.
    public var streams: [Labels] { series.map(\.streamLabels) }

    /// Every sample as a record, in request order.
    public func records() -> [Record] {
        records(of: runs[...])
    }

    /// The samples of `runs` as records.
    public func records(of runs: ArraySlice<MetricRun>) -> [Record] {
        var records: [Record] = []
        records.reserveCapacity(runs.reduce(0) { $0 + $1.samples.count })
        for run in runs {
            let series = self.series[run.series]
            for sample in run.samples {
                records.append(.metric(MetricSample(name: series.name, labels: series.labels, timestamp: timestamps[sample],
                                                    value: Double(bitPattern: values[sample]), kind: run.kind)))
            }
        }
        return records
    }

    /// The request with only the samples whose timestamp `keep` accepts.
    public func filter(_ keep: (Int64) -> Bool) -> RemoteWriteRequest {
        var kept = RemoteWriteRequest()
        kept.series = series
        for run in runs {
            let start = kept.timestamps.count
            for sample in run.samples where keep(timestamps[sample]) {
                kept.timestamps.append(timestamps[sample])
                kept.values.append(values[sample])
            }
            if kept.timestamps.count > start {
                kept.runs.append(MetricRun(series: run.series, kind: run.kind, samples: start..<kept.timestamps.count))
            }
        }
        return kept
    }

    /// Adds a run of `series` (appended to `series` unless already listed
    /// at `index`) over the samples from `start` to the end of the columns.
    mutating func addRun(_ entry: RemoteWriteSeries, listedAt index: Int?, kind: MetricKind, from start: Int) {
        let position: Int
        if let index {
            position = index
        } else {
            position = series.count
            series.append(entry)
        }
        runs.append(MetricRun(series: position, kind: kind, samples: start..<timestamps.count))
    }

    mutating func reserveCapacity(series: Int, samples: Int) {
        self.series.reserveCapacity(series)
        runs.reserveCapacity(series)
        timestamps.reserveCapacity(samples)
        values.reserveCapacity(samples)
    }

    mutating func appendSample(milliseconds: Int64, bits: UInt64) {
        timestamps.append(milliseconds)
        values.append(bits)
    }

    /// Converts the timestamps from `start` on from milliseconds to
    /// nanoseconds (decoding reads them before it knows their series).
    mutating func scaleTimestamps(from start: Int, what: @autoclosure () -> String) throws(PushError) {
        for index in start..<timestamps.count {
            let (scaled, overflow) = timestamps[index].multipliedReportingOverflow(by: 1_000_000)
            guard !overflow else {
                timestamps[index] = try PushTime.nanoseconds(milliseconds: timestamps[index], what: what())
                continue
            }
            timestamps[index] = scaled
        }
    }
}
