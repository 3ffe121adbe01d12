import Foundation
import TributaryWire

/// Batch encoders kept between push requests. A new `BatchEncoder` per
/// request sets up a zlib stream (fresh pages) and grows its intern tables
/// from empty every time: for a remote-write request of 1,000 series that
/// is ten rehashes of each table, which perf showed as a visible part of
/// the request. At most `limit` idle encoders are kept.
///
/// `@unchecked Sendable`: an encoder is used by one request at a time; it
/// is taken out of `idle` and given back under `lock`, never shared.
final class PushEncoderPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [BatchEncoder] = []
    private let limits: WireLimits
    private let limit: Int

    init(limits: WireLimits, limit: Int = 8) {
        self.limits = limits
        self.limit = limit
    }

    /// Runs `body` with an encoder of its own.
    func withEncoder<T>(_ body: (BatchEncoder) throws -> T) rethrows -> T {
        let encoder = lock.withLock { idle.popLast() } ?? BatchEncoder(compression: .fastest, limits: limits)
        defer {
            lock.withLock {
                if idle.count < limit { idle.append(encoder) }
            }
        }
        return try body(encoder)
    }
}
