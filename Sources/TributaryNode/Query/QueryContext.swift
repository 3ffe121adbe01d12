import NIOPosix

/// Where a query's work runs and when it must stop: CPU-bound parts
/// (decoding blocks, matching lines, evaluating series) go to the query
/// thread pool, never the cooperative pool or the event loops, so
/// `/healthz`, ingest and `/metrics` stay answered while queries grind.
struct QueryContext: Sendable {
    let budget: QueryBudget
    /// Nil runs work inline (unit tests, tools).
    let pool: NIOThreadPool?

    init(budget: QueryBudget, pool: NIOThreadPool?) {
        self.budget = budget
        self.pool = pool
    }

    /// Runs synchronous `work` on the pool; `work` checks `budget` itself.
    /// Cancelling the calling task stops it through the budget.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try budget.check()
        guard let pool else { return try work() }
        let budget = self.budget
        return try await withTaskCancellationHandler {
            try await pool.runIfActive(work)
        } onCancel: {
            budget.cancel(.clientGone)
        }
    }

    /// Runs async `work` (waiting for peers, streaming) but answers the
    /// budget's reason as soon as it runs out, even when `work` is waiting
    /// on something that ignores cancellation; `work` is then cancelled.
    func bounded<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let budget = self.budget
        let race = QueryRace<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                race.open(continuation)
                race.add(Task { race.finish(await Result(asyncCatching: work)) })
                race.add(Task {
                    while !Task.isCancelled, race.isOpen {
                        if let reason = budget.stopReason {
                            race.finish(.failure(reason))
                            return
                        }
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                })
            }
        } onCancel: {
            budget.cancel(.clientGone)
        }
    }
}

extension Result where Failure == Error {
    init(asyncCatching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
