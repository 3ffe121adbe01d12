/// One node's copy of a partition in `/api/v1/cluster`.
public struct PartitionCopyStatus: Codable, Sendable, Equatable {
    public var node: String
    public var sealed: Bool
    public var records: Int
    /// The sealed copy's digest (empty while open).
    public var sha256: String

    public init(node: String, sealed: Bool, records: Int, sha256: String) {
        self.node = node
        self.sealed = sealed
        self.records = records
        self.sha256 = sha256
    }
}
