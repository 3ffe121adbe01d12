/// What opening a write-ahead log found and repaired, for the operator's log.
public struct WALRecoveryReport: Sendable, Equatable {
    /// A segment whose tail was cut because the last record was incomplete
    /// or failed its checksum: a write interrupted by a crash, never
    /// acknowledged (acknowledgement follows the sync).
    public struct Truncation: Sendable, Equatable {
        public let file: String
        public let droppedBytes: Int
        public let reason: String
    }

    /// A segment that is damaged before its end: renamed `*.corrupt` and
    /// kept for inspection; the records after the damage in it are lost.
    public struct Quarantine: Sendable, Equatable {
        public let file: String
        public let keptRecords: Int
        public let reason: String
    }

    public var segments = 0
    public var records = 0
    /// The highest sequence on disk, 0 for an empty log.
    public var lastSequence: UInt64 = 0
    public var truncations: [Truncation] = []
    public var quarantines: [Quarantine] = []

    public init() {}
}
