/// HELLO: the client's first frame (`proto/PROTOCOL.md` 4.1).
public struct Hello: Hashable, Sendable {
    public var versions: [UInt8]
    /// Stable for the agent's life; printable ASCII, 1–128 bytes.
    public var agentID: String
    /// Empty when the client authenticates by certificate.
    public var token: [UInt8]
    public var capabilities: Capabilities
    /// `trib/0.1.0`
    public var software: String
    public var host: String

    public init(versions: [UInt8] = FrameHeader.supportedVersions, agentID: String, token: [UInt8], capabilities: Capabilities, software: String, host: String) {
        self.versions = versions
        self.agentID = agentID
        self.token = token
        self.capabilities = capabilities
        self.software = software
        self.host = host
    }

    /// Whether `id` is a valid agent or node identifier: 1–`limit` bytes of
    /// printable ASCII without spaces.
    public static func isValidIdentifier(_ id: String, limit: Int = WireLimits.default.maxIdentifierBytes) -> Bool {
        !id.utf8.isEmpty && id.utf8.count <= limit && id.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }
}
