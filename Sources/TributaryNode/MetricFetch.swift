import TributaryModel
import TributaryQuery
import TributaryStorage
import TributaryWire

/// Reads raw metric series for the query engine from partition snapshots:
/// metric blocks and heads, chunks chosen by name, matchers and time.
/// A query may touch at most `maxSamples` samples (memory stays bounded).
struct MetricFetch {
    /// `query.max_samples` in node.yaml.
    let maxSamples: Int

    let snapshots: [PartitionSnapshot]
    var samplesRead = 0
    var corrupt: [BlockError] = []
    /// Checked per chunk and batch; nil: no limit.
    var budget: QueryBudget?

    init(snapshots: [PartitionSnapshot], budget: QueryBudget? = nil, maxSamples: Int = QuerySettings().maxSamples) {
        self.snapshots = snapshots
        self.budget = budget
        self.maxSamples = maxSamples
    }

    /// Every series whose labels (with `__name__`) match all `matchers`,
    /// with its samples in [from, to].
    mutating func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
        // An equality on the name lets records of other metrics be skipped before their labels are built.
        let name = matchers.first { $0.name == "__name__" && $0.op == .equal }?.value
        return try series(name: name, matchers: matchers, from: from, to: to)
    }

    mutating func series(name: String?, matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
        var points: [Labels: [(Int64, Double)]] = [:]
        func wanted(_ labels: Labels) -> Bool {
            (name == nil || labels["__name__"] == name) && matchers.allSatisfy { $0.matches(labels) }
        }
        // `to` may be the latest time (a peer's request): no `to + 1` overflow.
        let after = QueryRequest.next(to)
        for snapshot in snapshots where snapshot.key.overlaps(start: from, end: after) {
            for head in snapshot.heads {
                var samples = head.metrics
                for stored in head.batches where stored.overlaps(start: from, end: after) && stored.metricStreams.contains(where: wanted) {
                    try budget?.check()
                    samples += try BatchDecoder(limits: .unlimitedForStoredBatches).decode(stored.batch).filter {
                        snapshot.key.contains($0)
                    }
                    samplesRead += stored.recordCount
                    guard samplesRead <= maxSamples else { throw MetricFetchError.tooManySamples(maxSamples) }
                }
                for case .metric(let sample) in samples where (name == nil || sample.name == name) && sample.timestamp >= from && sample.timestamp <= to {
                    let labels = BlockWriter.streamLabels(of: .metric(sample))
                    if wanted(labels) { points[labels, default: []].append((sample.timestamp, sample.value)) }
                }
            }
            let from = max(from, snapshot.key.start)
            let to = min(to, snapshot.key.end - 1)
            let after = QueryRequest.next(to)
            for path in snapshot.batchBlocks {
                let reader: BatchBlockReader
                do {
                    reader = try BatchBlockReader(path: path)
                } catch {
                    if case .corrupt = error { corrupt.append(error) }
                    continue
                }
                for entry in reader.entries where entry.overlaps(start: from, end: after) && entry.metricStreams.contains(where: wanted) {
                    try budget?.check()
                    let records: [Record]
                    do {
                        records = try reader.records(of: entry, start: from, end: after, in: snapshot.key)
                    } catch {
                        corrupt.append(error)
                        break
                    }
                    for case .metric(let sample) in records where name == nil || sample.name == name {
                        let labels = BlockWriter.streamLabels(of: .metric(sample))
                        if wanted(labels) { points[labels, default: []].append((sample.timestamp, sample.value)) }
                    }
                    samplesRead += entry.recordCount
                    guard samplesRead <= maxSamples else { throw MetricFetchError.tooManySamples(maxSamples) }
                }
            }
            for path in snapshot.metricBlocks {
                let reader: BlockReader
                do {
                    reader = try BlockReader(path: path)
                } catch {
                    if case .corrupt = error { corrupt.append(error) }
                    continue
                }
                for chunk in reader.chunks where chunk.overlaps(start: from, end: after) && wanted(chunk.labels) {
                    try budget?.check()
                    let records: [Record]
                    do {
                        records = try reader.records(of: chunk)
                    } catch {
                        corrupt.append(error)
                        break
                    }
                    for case .metric(let sample) in records where sample.timestamp >= from && sample.timestamp <= to {
                        points[chunk.labels, default: []].append((sample.timestamp, sample.value))
                    }
                    samplesRead += chunk.recordCount
                    guard samplesRead <= maxSamples else { throw MetricFetchError.tooManySamples(maxSamples) }
                }
            }
        }
        return points.map { labels, values in
            let sorted = values.sorted { $0.0 < $1.0 }
            return MetricSeries(labels: labels, timestamps: sorted.map(\.0), values: sorted.map(\.1))
        }
    }
}

enum MetricFetchError: Error, CustomStringConvertible {
    case tooManySamples(Int)

    var description: String {
        switch self {
        case .tooManySamples(let limit):
            return "the query reads more than \(limit) samples (query.max_samples in node.yaml): narrow the time range or the label matchers"
        }
    }
}
