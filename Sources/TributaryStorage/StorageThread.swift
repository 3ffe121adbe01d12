import Dispatch

/// A thread for blocking storage work (writing blocks, sealing), so that
/// seconds of compression and `fsync` never occupy Swift's cooperative
/// thread pool, which on a 2-core machine has two threads that queries,
/// HTTP and ingest also need.
final class StorageThread: Sendable {
    static let flush = StorageThread(label: "tributary.storage.flush")
    static let seal = StorageThread(label: "tributary.storage.seal")

    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
