/// CONFIG_STATUS (`0x3B`, agent → node): what became of a central
/// configuration on the agent (`proto/PROTOCOL.md` section 12).
public struct ConfigStatus: Hashable, Sendable {
    public var group: String
    /// The version the report is about.
    public var version: UInt64
    /// The version the agent runs now (0: its local file only). Equal to
    /// `version` when that was applied; the last good one when it failed.
    public var applied: UInt64
    /// Empty when `version` was applied; otherwise why not.
    public var error: String

    public init(group: String, version: UInt64, applied: UInt64, error: String = "") {
        self.group = group
        self.version = version
        self.applied = applied
        self.error = error
    }

    /// Longest error text (longer ones are cut by the sender).
    public static let maxErrorBytes = 4096
}
