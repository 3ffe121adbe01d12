import TributaryTelemetry
import Synchronization
import TributaryStorage
import TributaryWire

/// The node's counters, updated from the event loops and the store, and
/// rendered in the Prometheus text format for `/metrics` together with
/// gauges read at scrape time.
public final class NodeMetrics: Sendable {
    struct Counters {
        var batchesStored = 0
        var recordsStored = 0
        var bytesStored = 0
        var duplicateBatches = 0
        var rejected: [String: Int] = [:]
        var busy: [String: Int] = [:]
        var refusedConnections: [String: Int] = [:]
        var queries: [String: Int] = [:]
        var queryErrors = 0
        var quarantinedBlocks = 0
    }

    private let counters = Mutex(Counters())

    public init() {}

    func countStored(records: Int, bytes: Int) {
        counters.withLock {
            $0.batchesStored += 1
            $0.recordsStored += records
            $0.bytesStored += bytes
        }
    }

    func countDuplicate() { counters.withLock { $0.duplicateBatches += 1 } }
    func countRejected(_ code: Nack.Code) { countRejected(reason: code.description) }
    func countRejected(reason: String) { counters.withLock { $0.rejected[reason, default: 0] += 1 } }
    func countBusy(_ reason: BusyReason) { counters.withLock { $0.busy[reason.rawValue, default: 0] += 1 } }
    func countRefusedConnection(_ reason: String) { counters.withLock { $0.refusedConnections[reason, default: 0] += 1 } }
    public func countQuery(kind: String) { counters.withLock { $0.queries[kind, default: 0] += 1 } }
    public func countQueryError() { counters.withLock { $0.queryErrors += 1 } }
    public func countQuarantined() { counters.withLock { $0.quarantinedBlocks += 1 } }

    /// Gauges read at scrape time.
    public struct Gauges: Sendable {
        public var wal = WALStatistics()
        public var openPartitions = 0
        public var sealedPartitions = 0
        public var headBytes = 0
        public var diskUsedBytes = 0
        public var diskFreeBytes = 0
        public var ingestPaused = false
        public var ready = false
    }

    public func render(_ gauges: Gauges) -> String {
        let c = counters.withLock { $0 }
        var text = PrometheusText()
        text.counter("tributary_ingest_batches_total", "Batches stored and acknowledged.", c.batchesStored)
        text.counter("tributary_ingest_records_total", "Records in stored batches.", c.recordsStored)
        text.counter("tributary_ingest_bytes_total", "Bytes of stored batch bodies, as received (compressed).", c.bytesStored)
        text.counter("tributary_ingest_duplicate_batches_total", "Batches received again and acknowledged without storing them twice.", c.duplicateBatches)
        text.counter("tributary_ingest_rejected_batches_total", "Batches and frames refused, by reason.", labelled: "reason", c.rejected,
                     always: ["MALFORMED", "TOO_OLD", "TOO_NEW", "AGENT_MISMATCH", "bad_frame"])
        text.counter("tributary_ingest_busy_total", "BUSY answers, by reason.", labelled: "reason", c.busy,
                     always: BusyReason.allCases.map(\.rawValue))
        text.counter("tributary_connections_refused_total", "Connections refused at HELLO, by reason.", labelled: "reason", c.refusedConnections,
                     always: ["AUTH_FAILED", "UNSUPPORTED_VERSION"])
        text.counter("tributary_wal_appends_total", "Write-ahead-log records appended.", gauges.wal.appends)
        text.histogram("tributary_wal_fsync_seconds", "Write-ahead-log sync latency (one sync per group commit).",
                       bounds: WALStatistics.bucketBounds, buckets: gauges.wal.syncBuckets, sum: gauges.wal.syncSecondsTotal, count: gauges.wal.syncs)
        text.gauge("tributary_partitions", "Partitions on this node, by state.", labelled: "state",
                   ["open": gauges.openPartitions, "sealed": gauges.sealedPartitions])
        text.gauge("tributary_head_bytes", "Memory held by records not yet in blocks.", gauges.headBytes)
        text.gauge("tributary_disk_used_bytes", "Bytes in the data directory.", gauges.diskUsedBytes)
        text.gauge("tributary_disk_free_bytes", "Free bytes on the data directory's file system.", gauges.diskFreeBytes)
        text.gauge("tributary_ingest_paused", "1 while ingest answers BUSY for disk space.", gauges.ingestPaused ? 1 : 0)
        text.counter("tributary_blocks_quarantined_total", "Corrupt blocks renamed out of the way.", c.quarantinedBlocks)
        text.counter("tributary_queries_total", "Queries answered, by kind.", labelled: "kind", c.queries, always: ["logs", "metrics"])
        text.counter("tributary_query_errors_total", "Queries refused or failed.", c.queryErrors)
        return text.output
    }
}
