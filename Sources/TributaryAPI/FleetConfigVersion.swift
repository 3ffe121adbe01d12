/// One stored version of a group's central configuration.
public struct FleetConfigVersion: Codable, Sendable, Equatable {
    public var version: UInt64
    /// SHA-256 of the body, hex.
    public var sha256: String
    public var bytes: Int
    /// RFC 3339 time of the push.
    public var pushedAt: String
    /// The node that took the push.
    public var pushedVia: String

    enum CodingKeys: String, CodingKey {
        case version, sha256, bytes
        case pushedAt = "pushed_at"
        case pushedVia = "pushed_via"
    }

    public init(version: UInt64, sha256: String, bytes: Int, pushedAt: String, pushedVia: String) {
        self.version = version
        self.sha256 = sha256
        self.bytes = bytes
        self.pushedAt = pushedAt
        self.pushedVia = pushedVia
    }
}
