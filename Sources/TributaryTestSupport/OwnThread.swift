import Foundation

/// Runs CPU-heavy synchronous test work on a thread of its own.
///
/// Swift Testing runs tests as tasks on the cooperative pool, which has one
/// thread per core (two here). A test that computes for tens of seconds on
/// a pool thread starves every other test's `await`: process tests then miss
/// their wall-clock deadlines (`RunningProcess.waitForLine`) although the
/// process answered in time. Work passed here leaves the pool free.
public enum OwnThread {
    public static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
