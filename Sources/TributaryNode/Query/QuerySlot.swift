import Synchronization

/// A query's admission: held while it runs (and while a streamed answer
/// is written), given back once, by `release()` or when the last reference
/// goes (a response dropped unwritten cannot leak a slot). Releasing
/// also stops any work still running under its budget.
final class QuerySlot: Sendable {
    let id: UInt64
    let tenant: String
    let budget: QueryBudget
    private let scheduler: QueryScheduler
    private let released = Atomic<Bool>(false)

    init(id: UInt64, tenant: String, budget: QueryBudget, scheduler: QueryScheduler) {
        self.id = id
        self.tenant = tenant
        self.budget = budget
        self.scheduler = scheduler
    }

    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        scheduler.release(self)
        // Work still under way for this slot (a search whose answer was
        // dropped unwritten) stops at its next check.
        budget.cancel(.clientGone)
    }

    deinit { release() }
}
