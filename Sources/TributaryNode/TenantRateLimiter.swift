import Synchronization

/// Per-tenant ingest rates as token buckets (`tenants[].limits`): each
/// BATCH takes its body's bytes from its tenant's bucket, which refills at
/// `ingest_bytes_per_second` up to `ingest_burst_bytes`. A batch that does
/// not fit is answered BUSY with the time until it would, so the agent
/// keeps it in its spool and resends: nothing is lost, the tenant is slowed
/// down, and other tenants are unaffected.
public final class TenantRateLimiter: Sendable {
    /// A bucket's state; `tokens` may go below zero after a batch larger
    /// than the burst (it is then repaid before the next one).
    struct Bucket {
        let rate: Double
        let burst: Double
        var tokens: Double
        var updated: ContinuousClock.Instant

        /// Takes `bytes`, or returns how long until they fit.
        mutating func take(_ bytes: Int, now: ContinuousClock.Instant) -> Duration? {
            let elapsed = now - updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if seconds > 0 {
                tokens = min(burst, tokens + seconds * rate)
                updated = now
            }
            let needed = min(Double(bytes), burst)
            guard tokens >= needed else { return .seconds((needed - tokens) / rate) }
            tokens -= Double(bytes)
            return nil
        }
    }

    /// Whether a batch may be stored now.
    public enum Decision: Equatable, Sendable {
        case admitted
        /// BUSY: retry after this many milliseconds; `reason` names the limit.
        case busy(retryAfterMilliseconds: UInt32, reason: String)
    }

    private let limits: [String: TenantLimits]
    private let buckets: Mutex<[String: Bucket]>

    public init(limits: [String: TenantLimits], now: ContinuousClock.Instant = .now) {
        self.limits = limits
        var buckets: [String: Bucket] = [:]
        for (tenant, limit) in limits {
            guard let rate = limit.ingestBytesPerSecond, rate > 0 else { continue }
            let burst = Double(limit.ingestBurstBytes ?? rate)
            buckets[tenant] = Bucket(rate: Double(rate), burst: burst, tokens: burst, updated: now)
        }
        self.buckets = Mutex(buckets)
    }

    /// True when no tenant has an ingest limit (nothing to check).
    public var isEmpty: Bool { buckets.withLock { $0.isEmpty } }

    /// Takes `bytes` from `tenant`'s bucket, or says when to retry.
    public func admit(tenant: String, bytes: Int, now: ContinuousClock.Instant = .now) -> Decision {
        let wait = buckets.withLock { buckets -> Duration? in
            guard buckets[tenant] != nil else { return nil }
            return buckets[tenant]!.take(bytes, now: now)
        }
        guard let wait else { return .admitted }
        let (seconds, attoseconds) = wait.components
        let milliseconds = max(1, seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        let limit = limits[tenant]?.ingestBytesPerSecond ?? 0
        return .busy(retryAfterMilliseconds: UInt32(min(milliseconds, 3_600_000)),
                     reason: "tenant \(tenant) is over its ingest rate (tenants[].limits.ingest_bytes_per_second: \(limit) bytes/s): not stored, retry later")
    }
}
