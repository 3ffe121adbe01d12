/// The raw label bytes of a remote-write series as a dictionary key,
/// hashed as one block: `[UInt8]`'s own `Hashable` feeds the hasher a
/// byte at a time, which perf showed as most of a cache lookup.
struct RemoteWriteSeriesKey: Hashable, Sendable {
    let bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
