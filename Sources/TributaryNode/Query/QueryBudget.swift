import Synchronization

/// The deadline and stop switch of one running query, checked by the
/// search loops (per chunk and every few dozen lines) on whichever thread
/// they run. Cancelling is one atomic store, safe from any thread or
/// channel handler.
final class QueryBudget: Sendable {
    let timeout: Duration
    let deadline: ContinuousClock.Instant
    /// 0 while running; otherwise the `reasons` index + 1 of why it stopped.
    private let stopped = Atomic<Int>(0)
    private static let reasons: [QueryStopped] = [.clientGone, .shuttingDown]

    init(timeout: Duration) {
        self.timeout = timeout
        self.deadline = .now + timeout
    }

    /// Stops the query; the first reason given is kept, and a query past
    /// its deadline stays "timed out".
    func cancel(_ reason: QueryStopped) {
        guard ContinuousClock.now < deadline else { return }
        let code = (Self.reasons.firstIndex(of: reason) ?? 0) + 1
        _ = stopped.compareExchange(expected: 0, desired: code, ordering: .relaxed)
    }

    /// Why the query must stop now, if it must.
    var stopReason: QueryStopped? {
        let code = stopped.load(ordering: .relaxed)
        if code > 0 { return Self.reasons[code - 1] }
        return ContinuousClock.now >= deadline ? .timeout(timeout) : nil
    }

    func check() throws(QueryStopped) {
        if let reason = stopReason { throw reason }
    }
}
