import Synchronization

/// The data directory's last measured use and free space, shared between
/// the disk watch and `/metrics`.
final class DiskState: Sendable {
    private let value = Mutex<(used: Int, free: Int)>((0, 0))

    var current: (used: Int, free: Int) { value.withLock { $0 } }

    func update(used: Int, free: Int) { value.withLock { $0 = (used, free) } }
}
