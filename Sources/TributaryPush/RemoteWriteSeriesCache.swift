import Synchronization
import TributaryModel

/// Remote-write series already decoded: the raw bytes of a series' label
/// fields to its metric name and validated `Labels`. Prometheus sends the
/// same series in every request, so a hit saves creating a `String` per
/// label, validating names and sorting.
///
/// The mapping is a pure function of the bytes (no tenant, no request
/// state), so sharing it between tenants leaks nothing and a stale entry
/// cannot exist. Memory is bounded: keys over `maxKeyBytes` are not kept,
/// and the whole cache is dropped once its keys pass `maxBytes`.
public final class RemoteWriteSeriesCache: Sendable {
    public struct Entry: Sendable {
        public let name: String
        public let labels: Labels
        /// `labels` with `__name__`: the stream the storage files it under.
        public let streamLabels: Labels
        /// Distinct per entry made, so a request's series are told apart
        /// without hashing their labels.
        public let id: UInt64
    }

    public static let maxKeyBytes = 4096
    public let maxBytes: Int
    private let state = Mutex<(entries: [RemoteWriteSeriesKey: Entry], bytes: Int)>(([:], 0))
    private let nextID = Atomic<UInt64>(1)

    /// A new entry for a series decoded now.
    func makeEntry(name: String, labels: Labels) -> Entry {
        Entry(name: name, labels: labels, streamLabels: (try? labels.setting("__name__", to: name)) ?? labels,
              id: nextID.add(1, ordering: .relaxed).oldValue)
    }

    public init(maxBytes: Int = 16 << 20) {
        self.maxBytes = maxBytes
    }

    func entry(_ key: [UInt8]) -> Entry? {
        let key = RemoteWriteSeriesKey(bytes: key)
        return state.withLock { $0.entries[key] }
    }

    func insert(_ key: [UInt8], _ entry: Entry) {
        guard key.count <= Self.maxKeyBytes else { return }
        state.withLock { state in
            let cost = key.count + 64
            if state.bytes + cost > maxBytes {
                state.entries.removeAll()
                state.bytes = 0
            }
            if state.entries.updateValue(entry, forKey: RemoteWriteSeriesKey(bytes: key)) == nil { state.bytes += cost }
        }
    }

    /// Entries held (for tests).
    public var count: Int { state.withLock { $0.entries.count } }
}
