import Foundation
import NIOCore

/// The write-ahead log: what a node has acknowledged survives any crash.
///
/// ## On disk
/// A directory of segment files `wal-<first sequence as 16 hex digits>.log`:
/// ```
/// segment := "TWAL" (u32 0x5457414C) | version u32 = 1 | record*
/// record  := length u32 | CRC32C u32 | sequence u64 | payload (length bytes)
/// ```
/// Integers are big-endian. The CRC32C covers the sequence and the payload.
/// Sequences start at 1 and rise by one across segments.
///
/// ## Guarantees
/// - `append` returns only after the record's bytes and the file size are
///   synced (`fdatasync`), and a new segment's directory entry is synced
///   before it is used. An acknowledged record is therefore on disk.
/// - Group commit: appends that arrive while a sync is under way are written
///   together with one `write` and one `fdatasync` after it.
/// - A crash can leave only an incomplete or unsynced tail, never
///   acknowledged. Opening the log detects it (length past the end, checksum,
///   sequence) and cuts it off (`WALRecoveryReport.truncations`).
/// - Damage before the end of a segment (a bad disk, not a crash) cannot be
///   repaired: the damaged bytes are copied to `<segment>.corrupt` for
///   inspection, the segment is cut there, and the report says how many
///   records were kept. The log keeps working.
/// - A failed write or sync (a full disk: `StorageError.diskFull`) cuts the
///   segment back to where it was, fails that group's appends, and leaves
///   the log usable: later appends succeed once space returns.
/// - Appends after reopening go to a new segment; old segments are never
///   appended to.
public actor WriteAheadLog {
    public nonisolated let directory: String
    public nonisolated let configuration: WALConfiguration
    private let writer: WALWriter
    private var nextSequence: UInt64
    private var pending: [(payload: ByteBuffer, continuation: CheckedContinuation<UInt64, Error>)] = []
    private var committing = false
    private var isClosed = false
    private var appendCount = 0

    private init(directory: String, configuration: WALConfiguration, nextSequence: UInt64) {
        self.directory = directory
        self.configuration = configuration
        self.nextSequence = nextSequence
        self.writer = WALWriter(directory: directory, configuration: configuration, current: nil)
    }

    /// Opens (creating if needed) the log in `directory`, repairing what a
    /// crash left behind.
    /// - Parameter after: sequences already used before the segments now on
    ///   disk (a checkpoint's): numbering continues above it even when every
    ///   segment was deleted.
    public static func open(directory: String, configuration: WALConfiguration = WALConfiguration(), after: UInt64 = 0) throws(StorageError) -> (WriteAheadLog, WALRecoveryReport) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, operation: "creating directory", errno: Int32((error as NSError).code))
        }
        var report = WALRecoveryReport()
        let segments = try listSegments(directory)
        for (index, segment) in segments.enumerated() {
            let path = directory + "/" + segment.name
            let scan = try WALSegmentScan.read(path: path, firstSequence: segment.first, maxRecordBytes: configuration.maxRecordBytes)
            if let problem = scan.problem {
                let isLast = index == segments.count - 1
                let reason: String
                switch problem {
                case .truncatedRecord: reason = "incomplete record at the end"
                case .corruptRecord(let detail), .badHeader(let detail): reason = detail
                }
                if isLast || problem == .truncatedRecord {
                    report.truncations.append(.init(file: segment.name, droppedBytes: scan.fileLength - scan.validLength, reason: reason))
                } else {
                    try quarantineTail(path: path, from: scan.validLength)
                    report.quarantines.append(.init(file: segment.name, keptRecords: scan.records.count, reason: reason))
                }
                if scan.validLength < StorageFileNames.walHeaderBytes {
                    unlink(path)
                    continue
                }
                let file = try SegmentFile(path: path, create: false)
                try file.truncate(to: scan.validLength)
            }
            if scan.records.isEmpty {
                // Nothing in it: remove it so a new segment can take its name.
                unlink(path)
                continue
            }
            report.segments += 1
            report.records += scan.records.count
            report.lastSequence = scan.records.last!.sequence
        }
        try SegmentFile.syncDirectory(directory)
        let log = WriteAheadLog(directory: directory, configuration: configuration, nextSequence: max(report.lastSequence, after) + 1)
        return (log, report)
    }

    /// Appends `payload`; returns its sequence once it is durable.
    public func append(_ payload: ByteBuffer) async throws -> UInt64 {
        guard !isClosed else { throw StorageError.closed }
        guard payload.readableBytes <= configuration.maxRecordBytes else {
            throw StorageError.recordTooLarge(bytes: payload.readableBytes, limit: configuration.maxRecordBytes)
        }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append((payload, continuation))
            if !committing {
                committing = true
                Task { await self.commitPending() }
            }
        }
    }

    /// Writes whatever is pending, one group per sync, until nothing is.
    private func commitPending() async {
        while !pending.isEmpty {
            let group = pending
            pending = []
            let first = nextSequence
            let payloads = group.map(\.payload)
            do {
                try await writer.run { writer throws(StorageError) in try writer.commit(payloads, firstSequence: first) }
                nextSequence += UInt64(group.count)
                appendCount += group.count
                for (offset, entry) in group.enumerated() {
                    entry.continuation.resume(returning: first + UInt64(offset))
                }
            } catch {
                for entry in group { entry.continuation.resume(throwing: error) }
            }
        }
        committing = false
    }

    /// Calls `body` with every record from `sequence` on, in order, reading
    /// one segment at a time. Use before appending (at start-up) or for
    /// closed segments.
    public nonisolated func replay(from sequence: UInt64 = 1, _ body: (WALRecord) throws -> Void) throws {
        let segments = try Self.listSegments(directory)
        for (index, segment) in segments.enumerated() {
            if index + 1 < segments.count, segments[index + 1].first <= sequence { continue }
            let scan = try WALSegmentScan.read(path: directory + "/" + segment.name, firstSequence: segment.first, maxRecordBytes: configuration.maxRecordBytes)
            for record in scan.records where record.sequence >= sequence {
                try body(record)
            }
        }
    }

    /// Deletes segments whose records are all at or below `sequence` (they
    /// were persisted elsewhere). The segment being written is deleted too
    /// when everything in it is covered; the next append starts a new one.
    @discardableResult
    public func removeSegments(through sequence: UInt64) async throws -> Int {
        let directory = self.directory
        return try await writer.run { writer throws(StorageError) -> Int in
            var segments = try Self.listSegments(directory)
            if writer.lastWritten > 0, writer.lastWritten <= sequence, !segments.isEmpty {
                writer.close()
                segments.append((name: "", first: writer.lastWritten + 1))
            }
            var removed = 0
            for index in segments.indices.dropLast() where segments[index + 1].first - 1 <= sequence {
                guard unlink(directory + "/" + segments[index].name) == 0 else {
                    throw SegmentFile.error(directory + "/" + segments[index].name, "deleting", errno)
                }
                removed += 1
            }
            if removed > 0 { try SegmentFile.syncDirectory(directory) }
            return removed
        }
    }

    /// Appends so far, and the syncs they took (fewer with group commit).
    public func statistics() async throws -> WALStatistics {
        var statistics = try await writer.run { writer throws(StorageError) in writer.statistics }
        statistics.appends = appendCount
        return statistics
    }

    /// The sequence the next append will get.
    public var upcomingSequence: UInt64 { nextSequence }

    public func close() async {
        isClosed = true
        _ = try? await writer.run { writer throws(StorageError) in writer.close() }
    }

    static func listSegments(_ directory: String) throws(StorageError) -> [(name: String, first: UInt64)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .io(path: directory, operation: "listing", errno: Int32((error as NSError).code))
        }
        return names.compactMap { name in StorageFileNames.walFirstSequence(name).map { (name, $0) } }
            .sorted { $0.first < $1.first }
    }

    /// Copies the bytes from `offset` on to `<path>.corrupt`.
    private static func quarantineTail(path: String, from offset: Int) throws(StorageError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, operation: "reading", errno: EIO)
        }
        let target = path + StorageFileNames.corruptSuffix
        guard FileManager.default.createFile(atPath: target, contents: data.subdata(in: min(offset, data.count)..<data.count)) else {
            throw .io(path: target, operation: "writing", errno: EIO)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
