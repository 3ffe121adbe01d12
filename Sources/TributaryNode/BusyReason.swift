/// Why the node answered BUSY, as a `/metrics` label.
public enum BusyReason: String, Sendable, CaseIterable {
    /// `max_disk_bytes` or `min_free_bytes` reached.
    case diskLimit = "disk_limit"
    /// The device returned ENOSPC (or a quota) while writing the log.
    case diskFull = "disk_full"
    /// Heads hold `max_head_bytes`: block writing is behind ingest.
    case headsFull = "heads_full"
    /// The agent had more batches in flight than the window.
    case window
    /// Replicas of the batch's partitions are busy (cluster).
    case replicas
    /// The batch's tenant is over `tenants[].limits.ingest_bytes_per_second`.
    case tenantRate = "tenant_rate"
}
