import NIOCore
import Synchronization

/// The open agent connections, so that stopping the node closes them
/// before the event loops shut down (answers to batches still being stored
/// then land on live loops, not on dead ones).
final class ConnectionSet: Sendable {
    private let channels = Mutex<[ObjectIdentifier: Channel]>([:])

    func insert(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.channels.withLock { _ = $0.removeValue(forKey: id) }
        }
    }

    func closeAll() async {
        let open = channels.withLock { Array($0.values) }
        for channel in open {
            try? await channel.close()
        }
    }
}
