import Foundation
import Logging
import NIOCore
import Synchronization
import TributaryDurability
import TributaryWire

/// The disk queue between the batcher and the forwarder (layout and crash
/// guarantees: `SpoolFormat`). One writer appends batches, synced before
/// they may be sent; the forwarder reads them back and removes each once a
/// node has acknowledged it. `maxBytes` caps the disk it takes; `isFull`
/// tells inputs to pause.
///
/// Thread-safe: every method takes the one lock; file I/O under it is a
/// single write+fdatasync (append), pread (read back) or unlink.
public final class Spool: Sendable {
    public struct Recovery: Sendable {
        /// Batches found unacknowledged, to be sent again.
        public var batches = 0
        public var bytes = 0
        /// Bytes of a torn last entry removed.
        public var tornBytes = 0
        /// Segments renamed `.corrupt`.
        public var quarantined: [String] = []
    }

    private struct Segment {
        let firstSequence: UInt64
        let path: String
        let descriptor: Int32
        var bytes: Int
        var live: Set<UInt64>
        /// Every batch acknowledged; deleted by `deleteSegments` once the
        /// file checkpoints covering it are on disk.
        var done = false
    }

    private struct State {
        var segments: [UInt64: Segment] = [:]
        var active: UInt64?
        var entries: [UInt64: SpoolEntry] = [:]
        var highestAssigned: UInt64 = 0
        var persistedHighest: UInt64 = 0
        var usedBytes = 0
        var closed = false
        /// Segments written since their last sync.
        var unsynced: Set<UInt64> = []
    }

    public let directory: String
    public let maxBytes: Int
    private let segmentBytes: Int
    private let logger: Logger
    private let state: Mutex<State>
    /// Held for a whole append: the batcher appends, and so does the
    /// forwarder when it splits a refused batch.
    private let appendLock = Mutex(())

    private init(directory: String, maxBytes: Int, segmentBytes: Int, logger: Logger, state: State) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.segmentBytes = segmentBytes
        self.logger = logger
        self.state = Mutex(state)
    }

    /// Opens (creating) the spool in `directory`, checks it is writable, and
    /// recovers every batch a previous run left unacknowledged.
    public static func open(directory: String, maxBytes: Int, segmentBytes: Int = 8 << 20,
                            logger: Logger) throws(SpoolError) -> (Spool, Recovery) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreate(directory: directory, reason: (error as NSError).localizedDescription)
        }
        let probe = directory + "/.write-test"
        let probeDescriptor = Glibc.open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard probeDescriptor >= 0 else {
            throw .notWritable(directory: directory, reason: String(cString: strerror(errno)))
        }
        Glibc.close(probeDescriptor)
        unlink(probe)

        var state = State()
        var recovery = Recovery()
        // Only a missing file means a fresh spool. Numbering again from 1
        // after failing to read it would make nodes drop every new batch as
        // a duplicate of one they stored before: silent loss.
        let sequencePath = directory + "/" + SpoolFormat.sequenceFile
        let sequenceBytes: [UInt8]?
        do {
            sequenceBytes = try DurableFile.readIfPresent(sequencePath, maxBytes: 64)
        } catch {
            throw .readFailed(path: sequencePath, reason: "\(error); the agent cannot know which batch numbers it used. Fix the file's permissions, or, to start afresh, stop the agent and delete both \(sequencePath) and the agent-id file in state_dir (the agent then starts under a new id)")
        }
        if let sequenceBytes {
            let text = String(decoding: sequenceBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let value = UInt64(text) else {
                throw .readFailed(path: sequencePath, reason: "it holds \"\(text.prefix(40))\", not a batch number. Restore it, or, to start afresh, stop the agent and delete both it and the agent-id file in state_dir (the agent then starts under a new id)")
            }
            state.persistedHighest = value
            state.highestAssigned = value
        }
        let listed: [String]
        do {
            listed = try DurableFile.list(directory)
        } catch {
            throw .readFailed(path: directory, reason: "\(error); the spool's batches cannot be found")
        }
        let names = listed
            .filter { $0.hasSuffix(SpoolFormat.segmentSuffix) }.sorted()
        for (index, name) in names.enumerated() {
            guard let first = UInt64(name.dropLast(SpoolFormat.segmentSuffix.count)) else { continue }
            let path = directory + "/" + name
            var scan = try SpoolSegmentScan(path: path, firstSequence: first)
            switch scan.damage {
            case nil:
                break
            case .tornTail where index == names.count - 1:
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? scan.intactBytes
                recovery.tornBytes += size - scan.intactBytes
                guard truncate(path, off_t(scan.intactBytes)) == 0 else {
                    throw .writeFailed(path: path, errno: errno)
                }
                logger.warning("spool: removed \(size - scan.intactBytes) bytes of a batch cut short by a crash at the end of \(name); it was never acknowledged, its input resumes before it")
            case .tornTail, .corrupt:
                let reason: String
                if case .corrupt(let detail) = scan.damage { reason = detail } else { reason = "an entry is cut short" }
                // Batches in the damaged part may have reached a node: their
                // numbers must never carry other data, so skip past every
                // number the damaged bytes could hold.
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? scan.intactBytes
                let lastIntact = scan.entries.last?.sequence ?? (first - 1)
                var bound = lastIntact + UInt64(max(0, size - scan.intactBytes) / SpoolFormat.entryOverhead + 1)
                if index + 1 < names.count, let next = UInt64(names[index + 1].dropLast(SpoolFormat.segmentSuffix.count)), next > 0 {
                    bound = min(bound, next - 1)
                }
                state.highestAssigned = max(state.highestAssigned, bound)
                try quarantine(path: path, keeping: scan.intactBytes)
                recovery.quarantined.append(name + SpoolFormat.corruptSuffix)
                logger.error("spool: segment \(name) is damaged (\(reason)); kept its \(scan.entries.count) intact batches and renamed it \(name)\(SpoolFormat.corruptSuffix). files are read again from their acknowledged position, other records in the damaged part are lost (tributary_agent_spool_quarantined_total)")
                if scan.intactBytes <= SpoolFormat.headerBytes { scan.entries = [] }
            }
            if scan.entries.isEmpty && scan.intactBytes <= SpoolFormat.headerBytes && FileManager.default.fileExists(atPath: path) {
                unlink(path)
                continue
            }
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let descriptor = Glibc.open(path, O_RDWR | O_APPEND | O_CLOEXEC)
            guard descriptor >= 0 else { throw .readFailed(path: path, reason: String(cString: strerror(errno))) }
            var segment = Segment(firstSequence: first, path: path, descriptor: descriptor, bytes: SpoolFormat.headerBytes, live: [])
            for entry in scan.entries {
                segment.bytes += entry.entryBytes
                segment.live.insert(entry.sequence)
                state.entries[entry.sequence] = entry
                state.highestAssigned = max(state.highestAssigned, entry.sequence)
                recovery.batches += 1
                recovery.bytes += entry.entryBytes
            }
            state.usedBytes += segment.bytes
            state.segments[first] = segment
            state.active = first
        }
        return (Spool(directory: directory, maxBytes: maxBytes, segmentBytes: segmentBytes, logger: logger, state: state), recovery)
    }

    /// Copies the intact prefix of a damaged segment to a new file under the
    /// same name, and keeps the original as `.corrupt`.
    private static func quarantine(path: String, keeping intactBytes: Int) throws(SpoolError) {
        let corrupt = path + SpoolFormat.corruptSuffix
        guard rename(path, corrupt) == 0 else { throw .writeFailed(path: path, errno: errno) }
        guard intactBytes > SpoolFormat.headerBytes, let data = FileManager.default.contents(atPath: corrupt) else { return }
        let temporary = path + ".tmp"
        let descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .writeFailed(path: temporary, errno: errno) }
        defer { Glibc.close(descriptor) }
        let ok = data.prefix(intactBytes).withUnsafeBytes { Self.writeAll(descriptor, $0) }
        guard ok, fsync(descriptor) == 0, rename(temporary, path) == 0 else { throw .writeFailed(path: temporary, errno: errno) }
    }

    // MARK: Writing

    /// Appends one encoded batch under the next sequence number and returns
    /// the number. It is durable after the next `sync()`, and must not be
    /// sent before. On failure nothing is left half-written and no number
    /// is used, so sequences have no gaps.
    public func append(_ batch: Batch, positions: [FilePosition]) throws(SpoolError) -> UInt64 {
        try appendLock.withLock { _ throws(SpoolError) in try appendHoldingLock(batch, positions: positions) }
    }

    private func appendHoldingLock(_ batch: Batch, positions: [FilePosition]) throws(SpoolError) -> UInt64 {
        let sequence = state.withLock { $0.highestAssigned + 1 }
        var entry = [UInt8]()
        entry.reserveCapacity(SpoolFormat.entryOverhead + positions.count * SpoolFormat.positionBytes + batch.body.readableBytes)
        Self.append32(&entry, 0)
        Self.append64(&entry, sequence)
        Self.append32(&entry, UInt32(batch.recordCount))
        Self.append32(&entry, UInt32(batch.rawLength))
        entry.append(batch.isCompressed ? 1 : 0)
        Self.append16(&entry, UInt16(positions.count))
        for position in positions {
            Self.append64(&entry, position.file.device)
            Self.append64(&entry, position.file.inode)
            Self.append32(&entry, position.file.fingerprint)
            Self.append16(&entry, position.file.fingerprintLength)
            Self.append64(&entry, position.offset)
        }
        Self.append32(&entry, UInt32(batch.body.readableBytes))
        let bodyOffsetInEntry = entry.count
        batch.body.withUnsafeReadableBytes { entry.append(contentsOf: $0) }
        let crc = entry.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        Self.append32(&entry, crc)
        let length = UInt32(entry.count - 4)
        entry[0] = UInt8(length >> 24); entry[1] = UInt8(length >> 16 & 0xFF); entry[2] = UInt8(length >> 8 & 0xFF); entry[3] = UInt8(length & 0xFF)

        // Appends are serialised by `appendLock`: the number read above is still next.
        try state.withLock { state throws(SpoolError) in
            precondition(state.highestAssigned + 1 == sequence, "BUG: two appends to the spool at once")
            if state.active == nil || state.segments[state.active!]!.bytes >= segmentBytes {
                try openSegment(&state, firstSequence: sequence)
            }
            let first = state.active!
            let segment = state.segments[first]!
            guard Self.writeAll(segment.descriptor, entry) else {
                let code = errno
                _ = ftruncate(segment.descriptor, off_t(segment.bytes))
                throw .writeFailed(path: segment.path, errno: code)
            }
            state.unsynced.insert(first)
            state.entries[sequence] = SpoolEntry(
                sequence: sequence, recordCount: batch.recordCount, rawLength: batch.rawLength, isCompressed: batch.isCompressed,
                positions: positions, segment: first, bodyOffset: segment.bytes + bodyOffsetInEntry,
                bodyLength: batch.body.readableBytes, entryBytes: entry.count)
            state.segments[first]!.bytes += entry.count
            state.segments[first]!.live.insert(sequence)
            state.usedBytes += entry.count
            state.highestAssigned = sequence
        }
        return sequence
    }

    /// Makes every append made before the call durable (one fdatasync per
    /// segment written to), outside the lock so appends go on meanwhile.
    public func sync() throws(SpoolError) {
        let dirty = state.withLock { state -> [(UInt64, Int32, String)] in
            let list = state.unsynced.compactMap { first in state.segments[first].map { (first, $0.descriptor, $0.path) } }
            state.unsynced = []
            return list
        }
        for (index, (first, descriptor, path)) in dirty.enumerated() where fdatasync(descriptor) != 0 {
            let code = errno
            state.withLock { state in for (other, _, _) in dirty[index...] { state.unsynced.insert(other) } }
            _ = first
            throw .writeFailed(path: path, errno: code)
        }
    }

    private func openSegment(_ state: inout State, firstSequence: UInt64) throws(SpoolError) {
        let previous = state.active
        let path = directory + "/" + SpoolFormat.segmentName(firstSequence: firstSequence)
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .writeFailed(path: path, errno: errno) }
        var header = SpoolFormat.magic
        header += [SpoolFormat.version, 0, 0, 0]
        guard Self.writeAll(descriptor, header), fdatasync(descriptor) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            unlink(path)
            throw .writeFailed(path: path, errno: code)
        }
        do {
            try DurableFile.syncDirectory(directory)
        } catch {
            Glibc.close(descriptor)
            unlink(path)
            throw .writeFailed(path: directory, errno: error.errno)
        }
        state.segments[firstSequence] = Segment(firstSequence: firstSequence, path: path, descriptor: descriptor,
                                                bytes: SpoolFormat.headerBytes, live: [])
        state.usedBytes += SpoolFormat.headerBytes
        state.active = firstSequence
        if let previous { deleteIfDone(&state, previous) }
    }

    // MARK: Reading and removing

    /// The batch as it was appended, read back from disk.
    public func batch(_ sequence: UInt64, agentID: String) throws(SpoolError) -> Batch {
        try state.withLock { state throws(SpoolError) in
            guard let entry = state.entries[sequence], let segment = state.segments[entry.segment] else {
                throw .unknownSequence(sequence)
            }
            var body = ByteBuffer()
            body.reserveCapacity(entry.bodyLength)
            let read = body.writeWithUnsafeMutableBytes(minimumWritableBytes: entry.bodyLength) { pointer in
                pread(segment.descriptor, pointer.baseAddress, entry.bodyLength, off_t(entry.bodyOffset))
            }
            guard read == entry.bodyLength else {
                throw .readFailed(path: segment.path, reason: read < 0 ? String(cString: strerror(errno)) : "short read")
            }
            return Batch(agentID: agentID, sequence: sequence, recordCount: entry.recordCount, rawLength: entry.rawLength,
                         isCompressed: entry.isCompressed, body: body)
        }
    }

    /// Forgets an acknowledged (or permanently refused) batch; returns the
    /// file positions it covered. A segment goes once all its batches have.
    @discardableResult
    public func remove(_ sequence: UInt64) -> [FilePosition]? {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: sequence) else { return nil }
            state.segments[entry.segment]?.live.remove(sequence)
            deleteIfDone(&state, entry.segment)
            return entry.positions
        }
    }

    /// Marks a segment whose batches are all acknowledged. It stays on disk
    /// (its positions still count at a restart) until `deleteSegments`,
    /// called after the file checkpoints were saved: deleting it first
    /// would let a crash resume files from an older checkpoint and send
    /// acknowledged lines twice.
    private func deleteIfDone(_ state: inout State, _ first: UInt64) {
        guard let segment = state.segments[first], segment.live.isEmpty, !segment.done else { return }
        state.segments[first]?.done = true
        // The next append opens a new segment.
        if state.active == first { state.active = nil }
    }

    /// Segments whose batches are all acknowledged.
    public func doneSegments() -> [UInt64] {
        state.withLock { state in state.segments.values.filter(\.done).map(\.firstSequence) }
    }

    /// Deletes the given done segments (call after saving file checkpoints).
    public func deleteSegments(_ firsts: [UInt64]) {
        state.withLock { state in
            guard !firsts.isEmpty, !state.closed else { return }
            if state.persistedHighest < state.highestAssigned {
                guard persistSequence(state.highestAssigned) else { return }
                state.persistedHighest = state.highestAssigned
            }
            for first in firsts {
                guard let segment = state.segments[first], segment.done else { continue }
                Glibc.close(segment.descriptor)
                unlink(segment.path)
                state.usedBytes -= segment.bytes
                state.segments[first] = nil
            }
        }
    }

    private func persistSequence(_ value: UInt64) -> Bool {
        do {
            try DurableFile.replace(directory + "/" + SpoolFormat.sequenceFile, withText: "\(value)\n", mode: 0o600)
            return true
        } catch {
            logger.error("spool: \(error); keeping acknowledged segments until it can be written")
            return false
        }
    }

    // MARK: State

    /// Every batch still waiting for an acknowledgement, oldest first.
    public var pendingSequences: [UInt64] { state.withLock { $0.entries.keys.sorted() } }
    public var pendingCount: Int { state.withLock { $0.entries.count } }
    public var usedBytes: Int { state.withLock { $0.usedBytes } }
    public var isFull: Bool { state.withLock { $0.usedBytes >= maxBytes } }
    public func recordCount(of sequence: UInt64) -> Int {
        state.withLock { $0.entries[sequence]?.recordCount ?? 0 }
    }

    public var highestSequence: UInt64 { state.withLock { $0.highestAssigned } }

    /// Per file, the furthest position covered by a batch still in the
    /// spool: inputs resume after it, since the spool will deliver it.
    public func spooledPositions() -> [FileIdentity: UInt64] {
        state.withLock { state in
            var furthest: [FileIdentity: UInt64] = [:]
            for entry in state.entries.values {
                for position in entry.positions { furthest[position.file] = max(furthest[position.file] ?? 0, position.offset) }
            }
            return furthest
        }
    }

    public func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            for segment in state.segments.values { Glibc.close(segment.descriptor) }
        }
    }

    // MARK: Bytes

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(descriptor, $0) }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    private static func append16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes.append(UInt8(value >> 8)); bytes.append(UInt8(value & 0xFF))
    }

    private static func append32(_ bytes: inout [UInt8], _ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(value >> UInt32(shift) & 0xFF)) }
    }

    private static func append64(_ bytes: inout [UInt8], _ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(value >> UInt64(shift) & 0xFF)) }
    }
}
