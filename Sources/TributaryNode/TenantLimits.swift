/// One tenant's limits (`tenants[].limits` in node.yaml). A tenant
/// without a `limits:` section has none.
///
/// Ingest is measured in batch body bytes as agents send them (zlib
/// compressed), per node: with several nodes each enforces the limit on
/// the batches it coordinates.
public struct TenantLimits: Sendable, Equatable {
    /// Sustained rate; nil: unlimited.
    public var ingestBytesPerSecond: Int?
    /// What may arrive at once above the rate (the token bucket's size);
    /// nil: one second's worth. A batch larger than the burst is admitted
    /// when the bucket is full, and the bucket goes into debt.
    public var ingestBurstBytes: Int?
    // Per-tenant query limits (e.g. concurrent queries) belong here too,
    // read from the same `limits:` section by whoever enforces them.

    public init(ingestBytesPerSecond: Int? = nil, ingestBurstBytes: Int? = nil) {
        self.ingestBytesPerSecond = ingestBytesPerSecond
        self.ingestBurstBytes = ingestBurstBytes
    }
}
