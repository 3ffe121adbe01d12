/// Optional features a peer supports, negotiated in HELLO / WELCOME.
public struct Capabilities: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// DEFLATE-compressed BATCH bodies.
    public static let deflate = Capabilities(rawValue: 1 << 0)

    /// Central configuration: CONFIG_REQUEST, CONFIG, CONFIG_CHANGED and
    /// CONFIG_STATUS (`proto/PROTOCOL.md` section 12).
    public static let centralConfig = Capabilities(rawValue: 1 << 2)

    /// The agent sends REPORT frames (`AgentReport`) for the fleet inventory.
    public static let report = Capabilities(rawValue: 1 << 1)

    /// Every capability this build understands.
    public static let all: Capabilities = [.deflate, .report, .centralConfig]
}
