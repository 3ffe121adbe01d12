import Foundation

/// Batch encoders kept between push requests. A new encoder per request
/// sets up a zlib stream (fresh pages) and grows its intern tables from
/// empty every time: for a remote-write request of 1,000 series that is
/// ten rehashes of each table, which perf showed as a visible part of the
/// request. At most `limit` idle encoders are kept.
///
/// `@unchecked Sendable`: an encoder is used by one request at a time; it
/// is taken out of `idle` and given back under `lock`, never shared.
final class PushEncoderPool<Encoder: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Encoder] = []
    private let make: @Sendable () -> Encoder
    private let limit: Int

    init(limit: Int = 8, make: @escaping @Sendable () -> Encoder) {
        self.make = make
        self.limit = limit
    }

    /// Runs `body` with an encoder of its own.
    func withEncoder<T>(_ body: (Encoder) throws -> T) rethrows -> T {
        let encoder = lock.withLock { idle.popLast() } ?? make()
        defer {
            lock.withLock {
                if idle.count < limit { idle.append(encoder) }
            }
        }
        return try body(encoder)
    }
}
