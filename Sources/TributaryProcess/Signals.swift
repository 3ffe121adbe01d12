import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX signals for `trib` and `trib-agent`: `trib node` and the agent run in a
/// `ServiceGroup` that turns SIGTERM and SIGINT into a graceful shutdown
/// (`ServiceGroup.runUntilStopped`) and watch SIGHUP (`reloads()`) to
/// reload; `trib demo` awaits `waitForStop()`.
public enum Signals {
    /// Returns at the first SIGTERM or SIGINT; SIGHUP keeps its default
    /// action (for a command that cannot reload).
    public static func waitForStop() async {
        for await _ in stream([SIGTERM, SIGINT]) { return }
    }

    /// The signals a running node or agent acts on, watched from before it
    /// starts: a SIGHUP or SIGTERM that arrives while it starts (a test, or
    /// systemd, may send one as soon as the first line is printed) is kept
    /// for the service group instead of taking the default action (exit).
    public struct Watch: Sendable {
        public let stops: AsyncStream<Int32>
        public let reloads: AsyncStream<Int32>
    }

    public static func watch() -> Watch {
        Watch(stops: stream([SIGTERM, SIGINT]), reloads: reloads())
    }

    /// Each SIGHUP: a request to reload.
    public static func reloads() -> AsyncStream<Int32> {
        stream([SIGHUP])
    }

    /// `signals` as an async sequence (they no longer take their default action).
    public static func stream(_ signals: [Int32]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let sources = signals.map { number -> DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let holder = SourceHolder(sources)
            continuation.onTermination = { _ in holder.cancel() }
        }
    }

    /// Keeps the dispatch sources alive until the stream ends.
    private final class SourceHolder: @unchecked Sendable {
        // Written once in init, then only read by cancel().
        private let sources: [DispatchSourceSignal]
        init(_ sources: [DispatchSourceSignal]) { self.sources = sources }
        func cancel() { sources.forEach { $0.cancel() } }
    }
}
