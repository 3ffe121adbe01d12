/// CONFIG_CHANGED (`0x3A`, node → agent): the group's configuration
/// changed; the agent answers with a CONFIG_REQUEST (`proto/PROTOCOL.md`
/// section 12).
public struct ConfigChanged: Hashable, Sendable {
    public var group: String
    /// The group's newest version (the agent's own target may differ
    /// during a canary).
    public var version: UInt64

    public init(group: String, version: UInt64) {
        self.group = group
        self.version = version
    }
}
