/// CONFIG_REQUEST (`0x38`, agent → node): the agent asks for its group's
/// central configuration and says which version it runs
/// (`proto/PROTOCOL.md` section 12). Only on connections that negotiated
/// `Capabilities.centralConfig`.
public struct ConfigRequest: Hashable, Sendable {
    /// The agent's `central.group`.
    public var group: String
    /// The central version the agent runs; 0 when it runs its local file only.
    public var version: UInt64

    public init(group: String, version: UInt64) {
        self.group = group
        self.version = version
    }

    /// Largest central configuration body a CONFIG frame carries.
    public static let maxBodyBytes = 1 << 20
    /// Longest group name.
    public static let maxGroupBytes = 64

    /// Whether `name` is a valid group name: 1–64 letters, digits, `.`, `_` or `-`.
    public static func isValidGroup(_ name: String) -> Bool {
        !name.utf8.isEmpty && name.utf8.count <= maxGroupBytes && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
    }
}
