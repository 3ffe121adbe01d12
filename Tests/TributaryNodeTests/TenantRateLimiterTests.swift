import Testing
@testable import TributaryNode

@Suite struct TenantRateLimiterTests {
    static let start = ContinuousClock.now

    @Test func aTenantWithinItsBurstIsAdmittedThenWaitsForTheRate() {
        let limiter = TenantRateLimiter(limits: ["slow": TenantLimits(ingestBytesPerSecond: 1000, ingestBurstBytes: 2000)], now: Self.start)
        #expect(limiter.admit(tenant: "slow", bytes: 1500, now: Self.start) == .admitted)
        // 500 left; 1000 more need 0.5 s of refill.
        guard case .busy(let retry, let reason) = limiter.admit(tenant: "slow", bytes: 1000, now: Self.start) else {
            Issue.record("admitted beyond the burst")
            return
        }
        #expect(retry == 500)
        #expect(reason.contains("tenant slow") && reason.contains("ingest_bytes_per_second: 1000"))
        #expect(limiter.admit(tenant: "slow", bytes: 1000, now: Self.start + .milliseconds(500)) == .admitted)
    }

    @Test func otherTenantsAreNotLimited() {
        let limiter = TenantRateLimiter(limits: ["slow": TenantLimits(ingestBytesPerSecond: 1000)], now: Self.start)
        #expect(limiter.admit(tenant: "slow", bytes: 1000, now: Self.start) == .admitted)
        for _ in 0..<100 { #expect(limiter.admit(tenant: "acme", bytes: 1 << 20, now: Self.start) == .admitted) }
        #expect(TenantRateLimiter(limits: ["acme": TenantLimits()]).isEmpty)
    }

    @Test func aBatchLargerThanTheBurstPassesWhenTheBucketIsFullAndIsRepaid() {
        let limiter = TenantRateLimiter(limits: ["slow": TenantLimits(ingestBytesPerSecond: 1000)], now: Self.start)
        #expect(limiter.admit(tenant: "slow", bytes: 3000, now: Self.start) == .admitted, "never stuck behind a batch bigger than the burst")
        // The bucket is at -2000: the next batch waits 3 s (debt plus one burst).
        #expect(limiter.admit(tenant: "slow", bytes: 1000, now: Self.start + .seconds(1)) == .busy(
            retryAfterMilliseconds: 2000, reason: "tenant slow is over its ingest rate (tenants[].limits.ingest_bytes_per_second: 1000 bytes/s): not stored, retry later"))
        #expect(limiter.admit(tenant: "slow", bytes: 1000, now: Self.start + .seconds(3)) == .admitted)
    }
}
