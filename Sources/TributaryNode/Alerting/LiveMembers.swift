import Synchronization

/// The cluster members that answered the last liveness probe, shared by
/// the probe loop (writer) and the rule groups' tasks (readers).
final class LiveMembers: Sendable {
    private let members: Mutex<[String]>

    init(_ initial: [String]) {
        members = Mutex(initial)
    }

    var current: [String] { members.withLock { $0 } }

    func set(_ newer: [String]) {
        members.withLock { $0 = newer }
    }
}
