/// `GET /api/v1/partitions`: the tenant's partitions on the node that answered.
public struct PartitionList: Codable, Sendable, Equatable {
    public var status: String
    public var data: [PartitionListEntry]

    public init(data: [PartitionListEntry]) {
        self.status = "success"
        self.data = data
    }
}
