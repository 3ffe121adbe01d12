import NIOCore
import Synchronization
import TributaryCluster

/// Requests waiting for their answer on one peer connection, by request
/// id. The connection's handler delivers answers; a RECORDS answer may
/// come in pages, collected until the last. The handshake waits under id 0.
final class PeerRequests: Sendable {
    private struct Entry {
        var promise: EventLoopPromise<[PeerMessage]>
        var pages: [PeerMessage] = []
    }

    private let entries = Mutex<[UInt64: Entry]>([:])

    /// Most RECORDS pages one answer may have (each at most ~2 MiB of
    /// records): beyond it the request fails instead of growing memory.
    static let maxPages = 256
    private let nextID = Atomic<UInt64>(1)

    func makeID() -> UInt64 { nextID.add(1, ordering: .relaxed).oldValue }

    func register(_ id: UInt64, _ promise: EventLoopPromise<[PeerMessage]>) {
        entries.withLock { $0[id] = Entry(promise: promise) }
    }

    /// Hands an answer to its request; false for an answer nobody waits for.
    @discardableResult
    func deliver(_ message: PeerMessage) -> Bool {
        let id = message.requestID ?? 0
        var tooLarge: EventLoopPromise<[PeerMessage]>?
        let finished: (EventLoopPromise<[PeerMessage]>, [PeerMessage])? = entries.withLock { entries in
            guard var entry = entries[id] else { return nil }
            entry.pages.append(message)
            if case .records(_, let page) = message, page.more {
                guard entry.pages.count < Self.maxPages else {
                    entries[id] = nil
                    tooLarge = entry.promise
                    return nil
                }
                entries[id] = entry
                return nil
            }
            entries[id] = nil
            return (entry.promise, entry.pages)
        }
        // Promises are completed outside the lock: their callbacks may run at once.
        tooLarge?.fail(PeerError.unexpectedAnswer(node: "the peer", "more than \(Self.maxPages) pages (about \(Self.maxPages * 2) MiB) for one request: narrow the query"))
        if let (promise, pages) = finished { promise.succeed(pages) }
        return finished != nil || tooLarge != nil || entries.withLock { $0[id] != nil }
    }

    func fail(_ id: UInt64, _ error: Error) {
        let entry = entries.withLock { $0.removeValue(forKey: id) }
        entry?.promise.fail(error)
    }

    func failAll(_ error: Error) {
        let all = entries.withLock { entries in
            defer { entries = [:] }
            return Array(entries.values)
        }
        for entry in all { entry.promise.fail(error) }
    }
}
