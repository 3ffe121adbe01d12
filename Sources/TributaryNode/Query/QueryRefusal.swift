/// Why a query was not started: answered 429 or 503 before any work.
enum QueryRefusal: Error, Equatable, CustomStringConvertible {
    /// Every slot busy and the wait (or the queue) exhausted: 503.
    case tooManyQueries(running: Int, waited: Duration)
    /// The tenant already runs its `max_concurrency_per_tenant`: 429.
    case tenantLimit(tenant: String, limit: Int)
    /// SIGTERM: 503.
    case shuttingDown

    /// The label of `tributary_queries_refused_total`.
    var reason: String {
        switch self {
        case .tooManyQueries: return "too_many_queries"
        case .tenantLimit: return "tenant_limit"
        case .shuttingDown: return "shutting_down"
        }
    }

    var description: String {
        switch self {
        case .tooManyQueries(let running, let waited):
            return "too many queries: \(running) are running (query.max_concurrency) and this one waited \(QuerySettings.format(waited)) for a slot; retry later"
        case .tenantLimit(let tenant, let limit):
            return "too many queries for tenant \(tenant): \(limit) at once (query.max_concurrency_per_tenant); wait for one to finish and retry"
        case .shuttingDown:
            return "the node is shutting down: retry on another node or once it is back"
        }
    }
}
