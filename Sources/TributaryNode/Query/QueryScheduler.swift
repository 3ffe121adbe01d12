import NIOPosix
import Synchronization
import TributaryTelemetry

/// Admits queries and runs their CPU-bound work on its own threads.
///
/// At most `maxConcurrency` queries run at once; more wait up to
/// `queueTimeout` in arrival order (at most `maxQueued` of them) and are
/// then answered 503. A tenant may have `maxConcurrencyPerTenant` running
/// or waiting; more are answered 429 at once. Each admitted query gets a
/// `QueryBudget` with the deadline; `cancelAll()` stops every one (SIGTERM).
/// The pool has `maxConcurrency` threads, so queries never occupy the
/// cooperative pool or the event loops that ingest and `/healthz` use.
final class QueryScheduler: Sendable {
    let settings: QuerySettings
    let pool: NIOThreadPool

    private struct Waiter {
        let id: UInt64
        let tenant: String
        let since: ContinuousClock.Instant
        let continuation: CheckedContinuation<Result<QuerySlot, QueryRefusal>, Never>
    }

    private struct State {
        var nextID: UInt64 = 0
        var running = 0
        var perTenant: [String: Int] = [:]
        var waiters: [Waiter] = []
        var budgets: [UInt64: QueryBudget] = [:]
        var shuttingDown = false
        var refused: [String: Int] = [:]
        var stopped: [String: Int] = [:]
    }

    private let state = Mutex(State())

    init(settings: QuerySettings) {
        self.settings = settings
        pool = NIOThreadPool(numberOfThreads: settings.maxConcurrency)
        pool.start()
    }

    /// A slot for a query of `tenant`, waiting for one if all are busy.
    func admit(tenant: String) async -> Result<QuerySlot, QueryRefusal> {
        enum Decision {
            case admitted(QuerySlot)
            case refused(QueryRefusal)
            case wait(UInt64)
        }
        let decision: Decision = state.withLock { state in
            if state.shuttingDown { return .refused(.shuttingDown) }
            if state.perTenant[tenant, default: 0] >= settings.maxConcurrencyPerTenant {
                state.refused["tenant_limit", default: 0] += 1
                return .refused(.tenantLimit(tenant: tenant, limit: settings.maxConcurrencyPerTenant))
            }
            if state.running < settings.maxConcurrency {
                state.running += 1
                state.perTenant[tenant, default: 0] += 1
                return .admitted(makeSlot(tenant: tenant, in: &state))
            }
            if state.waiters.count >= settings.maxQueued {
                state.refused["too_many_queries", default: 0] += 1
                return .refused(.tooManyQueries(running: state.running, waited: .zero))
            }
            state.nextID += 1
            state.perTenant[tenant, default: 0] += 1
            return .wait(state.nextID)
        }
        switch decision {
        case .admitted(let slot): return .success(slot)
        case .refused(let refusal): return .failure(refusal)
        case .wait(let id):
            let timer = Task { [settings] in
                try? await Task.sleep(for: settings.queueTimeout)
                self.giveUp(id)
            }
            defer { timer.cancel() }
            return await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    state.withLock { state in
                        state.waiters.append(Waiter(id: id, tenant: tenant, since: .now, continuation: continuation))
                    }
                }
            } onCancel: {
                self.giveUp(id)
            }
        }
    }

    private func makeSlot(tenant: String, in state: inout State) -> QuerySlot {
        state.nextID += 1
        let budget = QueryBudget(timeout: settings.timeout)
        state.budgets[state.nextID] = budget
        return QuerySlot(id: state.nextID, tenant: tenant, budget: budget, scheduler: self)
    }

    /// A waiter whose time ran out (or whose client left) leaves the queue.
    private func giveUp(_ id: UInt64) {
        let waiter: Waiter? = state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            let waiter = state.waiters.remove(at: index)
            state.perTenant[waiter.tenant, default: 1] -= 1
            state.refused["too_many_queries", default: 0] += 1
            return waiter
        }
        guard let waiter else { return }
        let running = state.withLock { $0.running }
        waiter.continuation.resume(returning: .failure(.tooManyQueries(running: running, waited: .now - waiter.since)))
    }

    /// Called once per slot (`QuerySlot.release`): the next waiter takes it.
    func release(_ slot: QuerySlot) {
        let next: (Waiter, QuerySlot)? = state.withLock { state in
            if let budget = state.budgets.removeValue(forKey: slot.id), let reason = budget.stopReason {
                state.stopped[Self.label(reason), default: 0] += 1
            }
            state.perTenant[slot.tenant, default: 1] -= 1
            if state.perTenant[slot.tenant] == 0 { state.perTenant[slot.tenant] = nil }
            guard !state.waiters.isEmpty, !state.shuttingDown else {
                state.running -= 1
                return nil
            }
            let waiter = state.waiters.removeFirst()
            return (waiter, makeSlot(tenant: waiter.tenant, in: &state))
        }
        if let (waiter, slot) = next { waiter.continuation.resume(returning: .success(slot)) }
    }

    private static func label(_ reason: QueryStopped) -> String {
        switch reason {
        case .timeout: return "timeout"
        case .clientGone: return "client_gone"
        case .shuttingDown: return "shutting_down"
        }
    }

    /// SIGTERM: refuse new queries, stop running ones, empty the queue.
    func cancelAll() {
        let (budgets, waiters) = state.withLock { state -> ([QueryBudget], [Waiter]) in
            state.shuttingDown = true
            let waiters = state.waiters
            state.waiters = []
            for waiter in waiters { state.perTenant[waiter.tenant, default: 1] -= 1 }
            return (Array(state.budgets.values), waiters)
        }
        for budget in budgets { budget.cancel(.shuttingDown) }
        for waiter in waiters { waiter.continuation.resume(returning: .failure(.shuttingDown)) }
    }

    /// After `cancelAll()`: waits for the pool's threads to finish their
    /// current (stopping) work.
    func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    /// Queries running now (for tests and `/metrics`).
    var running: Int { state.withLock { $0.running } }

    /// `tributary_queries_{running,queued}`, `…_refused_total{reason}`,
    /// `…_stopped_total{reason}` for `/metrics`.
    func metricsText() -> String {
        let snapshot = state.withLock { $0 }
        var text = PrometheusText()
        text.gauge("tributary_queries_running", "Queries running now (at most query.max_concurrency).", snapshot.running)
        text.gauge("tributary_queries_queued", "Queries waiting for a free slot.", snapshot.waiters.count)
        text.counter("tributary_queries_refused_total", "Queries refused before running, by reason (429 tenant_limit, 503 otherwise).",
                     labelled: "reason", snapshot.refused, always: ["too_many_queries", "tenant_limit"])
        text.counter("tributary_queries_stopped_total", "Queries stopped before finishing, by reason.",
                     labelled: "reason", snapshot.stopped, always: ["timeout", "client_gone", "shutting_down"])
        return text.output
    }
}
