/// Something the partition store did on its own that an operator should
/// hear about; the node logs these.
public enum PartitionEvent: Sendable, Equatable, CustomStringConvertible {
    case sealed(PartitionKey, records: Int, digest: String)
    case expired(PartitionKey)
    case quarantined(path: String, reason: String)
    case removedUnfinished(path: String)
    case failed(PartitionKey, String)

    public var description: String {
        switch self {
        case .sealed(let key, let records, let digest):
            return "sealed partition \(key): \(records) records, sha256 \(digest.prefix(16))…"
        case .expired(let key):
            return "deleted partition \(key): older than the tenant's retention"
        case .quarantined(let path, let reason):
            return "quarantined block \(path) (renamed to \(path)\(StorageFileNames.corruptSuffix)): \(reason); its records are no longer served, the rest of the node is unaffected"
        case .removedUnfinished(let path):
            return "removed \(path): left unfinished by a crash; its records are still in the write-ahead log"
        case .failed(let key, let reason):
            return "maintenance of partition \(key) failed, will retry: \(reason)"
        }
    }
}
