import Foundation
import Synchronization

/// Tells an input's thread to stop and lets the caller wait for it.
final class StopFlag: Sendable {
    private let state = Mutex((stopped: false, finished: false, openFiles: 0))
    private let done = DispatchSemaphore(value: 0)

    var isStopped: Bool { state.withLock { $0.stopped } }

    var openFiles: Int {
        get { state.withLock { $0.openFiles } }
        set { state.withLock { $0.openFiles = newValue } }
    }

    func stop() { state.withLock { $0.stopped = true } }

    func finished() {
        state.withLock { $0.finished = true }
        done.signal()
    }

    func waitUntilFinished(timeout: Double) {
        guard !state.withLock({ $0.finished }) else { return }
        _ = done.wait(timeout: .now() + timeout)
    }
}
