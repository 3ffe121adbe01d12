import Synchronization

/// The cluster members taken to be up for the placement of rule groups,
/// shared by the probe loop (writer) and the rule groups' tasks (readers).
///
/// A member counts as down only after `failuresToDown` probes in a row went
/// unanswered, so one slow answer on a loaded machine does not move every
/// group for a moment (which would let two nodes evaluate a group at once);
/// one answer brings it back.
final class LiveMembers: Sendable {
    private struct State {
        var members: [String]
        var failures: [String: Int] = [:]
    }

    static let failuresToDown = 2
    private let state: Mutex<State>

    init(_ initial: [String]) {
        state = Mutex(State(members: initial))
    }

    var current: [String] { state.withLock { $0.members } }

    /// Takes one probe round: `answered` (this node included) out of `all`.
    func update(answered: [String], all: [String]) {
        state.withLock { state in
            var members: [String] = []
            for member in all {
                if answered.contains(member) {
                    state.failures[member] = 0
                    members.append(member)
                } else {
                    let failures = state.failures[member, default: 0] + 1
                    state.failures[member] = failures
                    if failures < Self.failuresToDown && state.members.contains(member) { members.append(member) }
                }
            }
            state.members = members.sorted()
        }
    }

    /// Replaces the members outright (the first probe at start).
    func set(_ newer: [String]) {
        state.withLock { $0.members = newer.sorted() }
    }
}
