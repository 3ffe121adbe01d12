/// Anti-entropy repair in `/api/v1/cluster`. Absent values are JSON `null`.
public struct ClusterRepairStatus: Codable, Sendable, Equatable {
    public var passes: Int
    public var running: Bool
    /// RFC 3339 time the last pass ended (nil: never).
    public var lastPass: String?
    /// Sealed partitions compared with peers in the last pass.
    public var compared: Int
    /// Of those, partitions that differed from a peer's copy.
    public var differing: Int
    public var repairedPartitions: Int
    public var copiedRecords: Int
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case passes, running
        case lastPass = "last_pass"
        case compared, differing
        case repairedPartitions = "repaired_partitions"
        case copiedRecords = "copied_records"
        case lastError = "last_error"
    }

    public init(passes: Int, running: Bool, lastPass: String?, compared: Int, differing: Int, repairedPartitions: Int, copiedRecords: Int,
                lastError: String?) {
        self.passes = passes
        self.running = running
        self.lastPass = lastPass
        self.compared = compared
        self.differing = differing
        self.repairedPartitions = repairedPartitions
        self.copiedRecords = copiedRecords
        self.lastError = lastError
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(passes, forKey: .passes)
        try container.encode(running, forKey: .running)
        try container.encode(lastPass, forKey: .lastPass)
        try container.encode(compared, forKey: .compared)
        try container.encode(differing, forKey: .differing)
        try container.encode(repairedPartitions, forKey: .repairedPartitions)
        try container.encode(copiedRecords, forKey: .copiedRecords)
        try container.encode(lastError, forKey: .lastError)
    }
}
