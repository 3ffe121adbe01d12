import Synchronization

/// The first of two tasks to finish answers a continuation; the other is
/// cancelled and not waited for (see `QueryContext.bounded`).
final class QueryRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Error>?
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    var isOpen: Bool { state.withLock { $0.continuation != nil } }

    func open(_ continuation: CheckedContinuation<T, Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Keeps `task` to cancel when the race is decided (at once if it is).
    func add(_ task: Task<Void, Never>) {
        let decided = state.withLock { state -> Bool in
            guard state.continuation != nil else { return true }
            state.tasks.append(task)
            return false
        }
        if decided { task.cancel() }
    }

    func finish(_ result: Result<T, Error>) {
        let (continuation, tasks) = state.withLock { state in
            defer { state.continuation = nil; state.tasks = [] }
            return (state.continuation, state.tasks)
        }
        guard let continuation else { return }
        continuation.resume(with: result)
        for task in tasks { task.cancel() }
    }
}
