/// What a query reads of one partition, taken at one moment: its block
/// files (sealed and flushed) and copies of the records not yet in blocks.
public struct PartitionSnapshot: Sendable {
    public let key: PartitionKey
    public let logBlocks: [String]
    public let metricBlocks: [String]
    /// Flushed batch bodies (`BatchBlockReader`).
    public let batchBlocks: [String]
    public let heads: [PartitionHead]
    public let seal: PartitionSeal?
}
