import Dispatch
import Foundation

/// The one place `trib` handles POSIX signals: SIGTERM and SIGINT stop a
/// command (it then stops its services in order), SIGHUP reloads one that
/// can reload. Commands await `waitForStop`; nothing else installs handlers.
enum Signals {
    /// Returns at the first SIGTERM or SIGINT; SIGHUP keeps its default
    /// action (for a command that cannot reload).
    static func waitForStop() async {
        for await _ in stream([SIGTERM, SIGINT]) { return }
    }

    /// Returns at the first SIGTERM or SIGINT; runs `reload` at each SIGHUP
    /// (signals arriving meanwhile wait for it).
    static func waitForStop(reload: () async -> Void) async {
        for await signal in stream([SIGTERM, SIGINT, SIGHUP]) {
            if signal == SIGHUP {
                await reload()
                continue
            }
            return
        }
    }

    /// `signals` as an async sequence (they no longer take their default action).
    static func stream(_ signals: [Int32]) -> AsyncStream<Int32> {
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
