import NIOCore

/// CONFIG (`0x39`, node → agent): the answer to a CONFIG_REQUEST — the
/// version this agent should run and, when it does not run it yet, its
/// body (`proto/PROTOCOL.md` section 12).
public struct ConfigOffer: Hashable, Sendable {
    public var group: String
    /// The agent's target version; 0 with `.none`.
    public var version: UInt64
    public var state: State
    /// The YAML body (UTF-8), only with `.body`.
    public var body: String

    public init(group: String, version: UInt64, state: State, body: String = "") {
        self.group = group
        self.version = version
        self.state = state
        self.body = body
    }

    public enum State: UInt8, Hashable, Sendable {
        /// `body` holds version `version`.
        case body = 0
        /// The agent already runs its target version.
        case unchanged = 1
        /// No central configuration is meant for this agent (none pushed,
        /// or a canary it is outside of with no earlier version): it runs
        /// its local file.
        case none = 2
    }
}
