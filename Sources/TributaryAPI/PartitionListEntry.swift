/// One partition in `/api/v1/partitions`. `records` and `sha256` are
/// present only when it is sealed.
public struct PartitionListEntry: Codable, Sendable, Equatable {
    public var start: String
    public var end: String
    /// The partition's directory name.
    public var name: String
    public var sealed: Bool
    public var records: Int?
    public var sha256: String?

    public init(start: String, end: String, name: String, sealed: Bool, records: Int? = nil, sha256: String? = nil) {
        self.start = start
        self.end = end
        self.name = name
        self.sealed = sealed
        self.records = records
        self.sha256 = sha256
    }
}
