import Testing
@testable import TributaryNode

/// Admission: slots, the per-tenant limit, the bounded wait, hand-over in
/// arrival order, and SIGTERM's cancelAll.
@Suite struct QuerySchedulerTests {
    static func scheduler(_ configure: (inout QuerySettings) -> Void) -> QueryScheduler {
        var settings = QuerySettings()
        configure(&settings)
        return QueryScheduler(settings: settings)
    }

    static func refusal(_ result: Result<QuerySlot, QueryRefusal>) -> QueryRefusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    @Test func aTenantOverItsLimitIsRefusedAtOnce() async throws {
        let scheduler = Self.scheduler { $0.maxConcurrency = 4; $0.maxConcurrencyPerTenant = 1 }
        defer { Task { await scheduler.shutdown() } }
        let first = try await scheduler.admit(tenant: "a").get()
        #expect(Self.refusal(await scheduler.admit(tenant: "a")) == .tenantLimit(tenant: "a", limit: 1))
        let other = try await scheduler.admit(tenant: "b").get()
        first.release()
        let again = try await scheduler.admit(tenant: "a").get()
        #expect(scheduler.running == 2)
        again.release()
        other.release()
        #expect(scheduler.running == 0)
        #expect(scheduler.metricsText().contains(#"tributary_queries_refused_total{reason="tenant_limit"} 1"#))
    }

    @Test func aWaitingQueryGetsTheNextFreeSlotOrGivesUp() async throws {
        let scheduler = Self.scheduler { $0.maxConcurrency = 1; $0.queueTimeout = .milliseconds(200) }
        defer { Task { await scheduler.shutdown() } }
        let first = try await scheduler.admit(tenant: "a").get()
        // Nobody releases: the wait ends with 503.
        guard case .failure(.tooManyQueries) = await scheduler.admit(tenant: "b") else {
            Issue.record("a query waited past queue_timeout")
            return
        }
        // Released while it waits: it runs.
        async let waiting = scheduler.admit(tenant: "b")
        try await Task.sleep(for: .milliseconds(50))
        first.release()
        let second = try await waiting.get()
        #expect(scheduler.running == 1)
        second.release()
        #expect(scheduler.running == 0)
    }

    @Test func aDroppedSlotIsReleased() async throws {
        let scheduler = Self.scheduler { $0.maxConcurrency = 1 }
        defer { Task { await scheduler.shutdown() } }
        do {
            let slot = try await scheduler.admit(tenant: "a").get()
            #expect(slot.budget.stopReason == nil)
        }
        #expect(scheduler.running == 0)
    }

    @Test func cancelAllStopsRunningQueriesAndRefusesNewOnes() async throws {
        let scheduler = Self.scheduler { $0.maxConcurrency = 2 }
        let slot = try await scheduler.admit(tenant: "a").get()
        scheduler.cancelAll()
        #expect(slot.budget.stopReason == .shuttingDown)
        #expect(Self.refusal(await scheduler.admit(tenant: "b")) == .shuttingDown)
        // Work on the pool sees the stop at its next check.
        let context = QueryContext(budget: slot.budget, pool: scheduler.pool)
        await #expect(throws: QueryStopped.shuttingDown) {
            try await context.run { () throws -> Int in
                while true { try slot.budget.check() }
            }
        }
        slot.release()
        await scheduler.shutdown()
    }

    @Test func aBudgetRunsOutAtItsDeadline() async throws {
        let budget = QueryBudget(timeout: .milliseconds(100))
        #expect(budget.stopReason == nil)
        try await Task.sleep(for: .milliseconds(150))
        #expect(budget.stopReason == .timeout(.milliseconds(100)))
        budget.cancel(.clientGone)
        #expect(budget.stopReason == .timeout(.milliseconds(100)), "a query past its deadline stays timed out")
        let context = QueryContext(budget: QueryBudget(timeout: .milliseconds(100)), pool: nil)
        await #expect(throws: QueryStopped.timeout(.milliseconds(100))) {
            try await context.bounded { try await Task.sleep(for: .seconds(30)); return 1 }
        }
    }
}
