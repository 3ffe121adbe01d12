import TributaryModel
import TributaryStorage

/// The distinct log streams (label sets) of some partition snapshots that
/// hold lines in [from, to), read from the indexes only: head records'
/// labels, the stream lists of stored batches and the chunk headers of
/// blocks. No line is decoded, so listing a day of streams costs a pass
/// over block headers, not over the lines.
///
/// Times are as precise as the index: a stored batch or chunk that overlaps
/// the range counts all its streams. The Loki API uses it for
/// `labels`/`series` without a selector (Grafana's label browser).
struct LogStreamCatalog {
    let from: Int64
    let to: Int64

    /// The streams, each once; blocks that cannot be read are skipped
    /// (their streams are absent, as their lines are from a search).
    func streams(_ snapshots: [PartitionSnapshot], budget: QueryBudget?) throws -> Set<Labels> {
        var found: Set<Labels> = []
        for snapshot in snapshots where snapshot.key.overlaps(start: from, end: to) {
            for head in snapshot.heads {
                for record in head.logs where record.timestamp >= from && record.timestamp < to {
                    if case .metric = record { continue }
                    found.insert(record.labels)
                }
                for stored in head.batches where stored.overlaps(start: from, end: to) {
                    found.formUnion(stored.logStreams)
                }
            }
            for path in snapshot.logBlocks {
                try budget?.check()
                guard let reader = try? BlockReader(path: path) else { continue }
                for chunk in reader.chunks where chunk.overlaps(start: from, end: to) { found.insert(chunk.labels) }
            }
            for path in snapshot.batchBlocks {
                try budget?.check()
                guard let reader = try? BatchBlockReader(path: path) else { continue }
                for entry in reader.entries where entry.overlaps(start: from, end: to) { found.formUnion(entry.logStreams) }
            }
        }
        return found
    }
}
