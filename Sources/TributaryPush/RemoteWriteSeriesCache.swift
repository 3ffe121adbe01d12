import Synchronization
import TributaryModel

/// Remote-write series already decoded: the raw bytes of a series' label
/// fields to its `RemoteWriteSeries` (name, validated `Labels`, the table
/// strings of a metric batch). Prometheus sends the same series in every
/// request, so a hit saves creating a `String` per label, validating
/// names, sorting and hashing the strings again (what VictoriaMetrics does
/// with its own cache of raw label sets).
///
/// The mapping is a pure function of the bytes (no tenant, no request
/// state), so sharing it between tenants leaks nothing and a stale entry
/// cannot exist. Memory is bounded: keys over `maxKeyBytes` are not kept,
/// and the whole cache is dropped once its keys and series pass `maxBytes`.
public final class RemoteWriteSeriesCache: Sendable {
    public static let maxKeyBytes = 4096
    public let maxBytes: Int
    /// By the hash of their key; a colliding series replaces the other.
    private let state = Mutex<(entries: [UInt64: (key: [UInt8], series: RemoteWriteSeries)], bytes: Int)>(([:], 0))
    private let nextID = Atomic<UInt64>(1)

    public init(maxBytes: Int = 32 << 20) {
        self.maxBytes = maxBytes
    }

    /// A new series decoded now, with an id no other series has.
    func makeSeries(name: String, labels: Labels) -> RemoteWriteSeries {
        RemoteWriteSeries(name: name, labels: labels, id: nextID.add(1, ordering: .relaxed).oldValue)
    }

    /// The series whose label fields lie at `labels` in `bytes`, if known.
    func series(hash: UInt64, _ bytes: [UInt8], labels: [Range<Int>]) -> RemoteWriteSeries? {
        state.withLock { state in
            guard let entry = state.entries[hash], RemoteWriteSeriesKey.matches(entry.key, bytes, labels: labels) else { return nil }
            return entry.series
        }
    }

    func insert(hash: UInt64, key: [UInt8], _ series: RemoteWriteSeries) {
        guard key.count <= Self.maxKeyBytes else { return }
        state.withLock { state in
            let cost = key.count + series.byteCount
            if state.bytes + cost > maxBytes {
                state.entries.removeAll()
                state.bytes = 0
            }
            if state.entries.updateValue((key, series), forKey: hash) == nil { state.bytes += cost }
        }
    }

    /// Entries held (for tests).
    public var count: Int { state.withLock { $0.entries.count } }
}
