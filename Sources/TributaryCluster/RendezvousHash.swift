import TributaryStorage

/// Highest-random-weight hashing: each (node, partition) pair gets a score;
/// a partition's replicas are its highest-scoring nodes. Adding or removing
/// a node changes the replicas only of the partitions it wins or held.
/// FNV-1a 64 with a finaliser: stable across processes and releases.
public enum RendezvousHash {
    public static func score(node: String, partition key: PartitionKey) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01B3
        }
        mix(node.utf8)
        mix(key.tenant.utf8)
        mix(String(key.start).utf8)
        mix(String(key.shard).utf8)
        var z = hash
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return z ^ (z >> 33)
    }
}
