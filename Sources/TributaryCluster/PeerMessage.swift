import NIOCore
import TributaryStorage
import TributaryWire

/// A node-to-node message: the meaning of the frame types 0x80–0x8F
/// (`proto/PROTOCOL.md` section 11). Requests carry a `requestID` that the
/// answer repeats, so one connection carries many requests at once.
///
/// ```
/// client (coordinator)                     server (replica)
///   PEER_HELLO(id, topology hash)  ──▶
///                                  ◀──  PEER_WELCOME(id, hash) | REJECT
///   REPLICATE(req, hash, tenant, BATCH, parts) ─▶
///                                  ◀──  REPLICATED(req, status, detail)
///   QUERY_LOGS / FETCH / QUERY_SERIES ─▶
///                                  ◀──  RECORDS(req, more=1) … RECORDS(req, more=0)
///   PARTITIONS(req)                ──▶
///                                  ◀──  PARTITION_LIST(req, …)
///   HINTS(req)                     ──▶
///                                  ◀──  PARTITION_LIST(req, hints, no partitions)
/// ```
public enum PeerMessage: Sendable, Equatable {
    case hello(PeerHello)
    case welcome(PeerHello)
    /// `parts`: the partitions of the batch the replica keeps, as the
    /// coordinator cut them (empty: the replica decodes the batch itself).
    case replicate(requestID: UInt64, topologyHash: String, tenant: String, batch: Batch, parts: [BatchPart])
    case replicated(requestID: UInt64, status: ReplicaStatus, detail: String)
    case queryLogs(requestID: UInt64, PeerLogQuery)
    case records(requestID: UInt64, RecordsPage)
    case listPartitions(requestID: UInt64)
    /// The partitions a node holds, and how many hints it keeps for the
    /// asking node (repair waits until those are delivered).
    case partitionList(requestID: UInt64, hintsForAsker: Int, [PartitionSummary])
    case fetch(requestID: UInt64, topologyHash: String, key: PartitionKey)
    case querySeries(requestID: UInt64, PeerSeriesQuery)
    /// QUERY_LOG_RANGE: partial aggregates of a LogQL metric query's range
    /// aggregations over the named partitions.
    case queryLogRange(requestID: UInt64, PeerLogRangeQuery)
    /// HINTS: how many hints the server keeps for the asking node, answered
    /// by a PARTITION_LIST without partitions. A query asks it of its peers
    /// alongside its own read: a node whose peers keep hints for it lacks
    /// acknowledged writes, so its own copy is then read last.
    case hints(requestID: UInt64)

    public static let helloType = FrameType(rawValue: 0x80)
    public static let welcomeType = FrameType(rawValue: 0x81)
    public static let replicateType = FrameType(rawValue: 0x82)
    public static let replicatedType = FrameType(rawValue: 0x83)
    public static let queryLogsType = FrameType(rawValue: 0x84)
    public static let recordsType = FrameType(rawValue: 0x85)
    public static let listPartitionsType = FrameType(rawValue: 0x86)
    public static let partitionListType = FrameType(rawValue: 0x87)
    public static let fetchType = FrameType(rawValue: 0x88)
    public static let querySeriesType = FrameType(rawValue: 0x89)
    public static let queryLogRangeType = FrameType(rawValue: 0x8A)
    public static let hintsType = FrameType(rawValue: 0x8B)

    /// The request an answer belongs to (nil for the handshake).
    public var requestID: UInt64? {
        switch self {
        case .hello, .welcome: return nil
        case .replicate(let id, _, _, _, _), .replicated(let id, _, _), .queryLogs(let id, _), .records(let id, _),
             .listPartitions(let id), .partitionList(let id, _, _), .fetch(let id, _, _), .querySeries(let id, _),
             .queryLogRange(let id, _), .hints(let id):
            return id
        }
    }
}

/// PEER_HELLO and PEER_WELCOME: who is speaking and which topology it runs.
public struct PeerHello: Sendable, Hashable {
    public var nodeID: String
    public var topologyHash: String
    public var software: String
    /// A fingerprint of the node's tenants, tokens, certificate names and
    /// roles (`IngestCredentials.fingerprint`), so that nodes whose
    /// credentials differ say so: an agent or client accepted by one would
    /// be refused by the other. Empty: not announced (older nodes).
    public var credentialsHash: String

    public init(nodeID: String, topologyHash: String, software: String, credentialsHash: String = "") {
        self.nodeID = nodeID
        self.topologyHash = topologyHash
        self.software = software
        self.credentialsHash = credentialsHash
    }
}

/// How a replica answered REPLICATE.
public enum ReplicaStatus: UInt8, Sendable, CustomStringConvertible {
    /// Durable in the replica's write-ahead log.
    case stored = 0
    /// Already stored before (a retry): as good as stored.
    case duplicate = 1
    /// Not stored for now (disk limit, heads full): retry later.
    case busy = 2
    /// Not stored: a storage failure; retry later.
    case failed = 3
    /// Not stored: the replica runs another topology.
    case topologyMismatch = 4
    /// Not stored, never will be: the batch does not decode.
    case refused = 5

    public var isDurable: Bool { self == .stored || self == .duplicate }

    public var description: String {
        switch self {
        case .stored: return "stored"
        case .duplicate: return "duplicate"
        case .busy: return "busy"
        case .failed: return "failed"
        case .topologyMismatch: return "topology mismatch"
        case .refused: return "refused"
        }
    }
}

/// QUERY_LOGS: a log query to run over the named partitions only.
public struct PeerLogQuery: Sendable, Equatable {
    public var topologyHash: String
    public var tenant: String
    public var query: String
    public var start: Int64
    public var end: Int64
    public var limit: Int
    public var forward: Bool
    public var partitions: [PartitionKey]

    public init(topologyHash: String, tenant: String, query: String, start: Int64, end: Int64, limit: Int, forward: Bool, partitions: [PartitionKey]) {
        self.topologyHash = topologyHash
        self.tenant = tenant
        self.query = query
        self.start = start
        self.end = end
        self.limit = limit
        self.forward = forward
        self.partitions = partitions
    }
}

/// QUERY_SERIES: the raw samples of a metric query's selectors over the named partitions.
public struct PeerSeriesQuery: Sendable, Equatable {
    public var topologyHash: String
    public var tenant: String
    /// The whole metric query: the replica returns the raw samples of
    /// every selector in it.
    public var query: String
    public var from: Int64
    public var to: Int64
    public var partitions: [PartitionKey]

    public init(topologyHash: String, tenant: String, query: String, from: Int64, to: Int64, partitions: [PartitionKey]) {
        self.topologyHash = topologyHash
        self.tenant = tenant
        self.query = query
        self.from = from
        self.to = to
        self.partitions = partitions
    }
}

/// QUERY_LOG_RANGE: every LogQL range aggregation of `query`, evaluated
/// at start, start + step, … ≤ end over the named partitions only, answered
/// as partial aggregates the asking node merges with other replicas'.
public struct PeerLogRangeQuery: Sendable, Equatable {
    public var topologyHash: String
    public var tenant: String
    public var query: String
    public var start: Int64
    public var end: Int64
    public var step: Int64
    public var partitions: [PartitionKey]

    public init(topologyHash: String, tenant: String, query: String, start: Int64, end: Int64, step: Int64, partitions: [PartitionKey]) {
        self.topologyHash = topologyHash
        self.tenant = tenant
        self.query = query
        self.start = start
        self.end = end
        self.step = step
        self.partitions = partitions
    }
}

/// One page of RECORDS: records as an (uncompressed or DEFLATE) batch, the
/// warnings so far, and whether more pages follow. A failed request is one
/// last page with `error` set.
public struct RecordsPage: Sendable, Equatable {
    public var more: Bool
    public var error: String?
    public var warnings: [String]
    public var batch: Batch?

    public init(more: Bool, error: String? = nil, warnings: [String] = [], batch: Batch? = nil) {
        self.more = more
        self.error = error
        self.warnings = warnings
        self.batch = batch
    }
}

/// A partition a node holds, as PARTITION_LIST reports it.
public struct PartitionSummary: Sendable, Hashable {
    public var key: PartitionKey
    public var sealed: Bool
    public var records: Int
    /// SHA-256 of the sealed blocks; empty when not sealed.
    public var digest: String

    public init(key: PartitionKey, sealed: Bool, records: Int, digest: String) {
        self.key = key
        self.sealed = sealed
        self.records = records
        self.digest = digest
    }
}
