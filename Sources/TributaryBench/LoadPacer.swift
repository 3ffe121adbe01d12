import Synchronization

/// A token bucket shared by load-generating connections: together they
/// send at most `recordsPerSecond` records per second, with a burst of
/// at most a tenth of a second's worth (and at least one batch). A rate of
/// nil means unpaced (as fast as the node acknowledges).
final class LoadPacer: Sendable {
    private struct State {
        var rate: Double?
        var tokens: Double = 0
        var last: ContinuousClock.Instant = .now
    }

    private let state = Mutex(State())

    init(recordsPerSecond: Double?) {
        setRate(recordsPerSecond)
    }

    /// Changes the offered load from now on (any saved-up burst is dropped).
    func setRate(_ recordsPerSecond: Double?) {
        state.withLock {
            $0.rate = recordsPerSecond
            $0.tokens = 0
            $0.last = .now
        }
    }

    /// Takes `records` tokens if available; false means wait a little.
    func take(_ records: Int) -> Bool {
        state.withLock { state in
            guard let rate = state.rate else { return true }
            let now = ContinuousClock.now
            let elapsed = (now - state.last) / .seconds(1)
            state.last = now
            let burst = max(rate / 10, Double(records))
            state.tokens = min(burst, state.tokens + elapsed * rate)
            guard state.tokens >= Double(records) else { return false }
            state.tokens -= Double(records)
            return true
        }
    }
}
