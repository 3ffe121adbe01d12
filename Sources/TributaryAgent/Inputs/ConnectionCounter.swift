import Synchronization

/// Open connections of one listener, capped so a flood of peers cannot
/// exhaust the agent's descriptors or memory.
final class ConnectionCounter: Sendable {
    private let count = Mutex(0)
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func open() -> Bool {
        count.withLock { value in
            guard value < limit else { return false }
            value += 1
            return true
        }
    }

    func close() { count.withLock { $0 -= 1 } }
}
