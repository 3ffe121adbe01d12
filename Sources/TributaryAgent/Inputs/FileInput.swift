import Foundation
import Logging
import NIOCore
import TributaryFormats
import TributaryModel

/// Tails the files its globs match, on its own thread.
///
/// - New files are picked up at every scan; files known from the
///   checkpoint resume where the node acknowledged them (or after what the
///   spool still holds), the others start at the beginning (or, for files
///   present at the agent's very first start with `start_at: end`, at the end).
/// - A file is known by device and inode plus a checksum of its first bytes,
///   so a new file that reuses an inode is read from its start.
/// - Rotation by rename: the old file stays open and is read to its end
///   (until it has not grown for `rotate_wait`), the new file is read from
///   its start. Copytruncate: a file shorter than what was read is read again
///   from the start.
/// - Reading pauses while the batcher does not accept (spool full).
public final class FileInput: @unchecked Sendable {
    // All mutable state is touched only by the input's thread.
    public let name: String
    private let settings: FileInputSettings
    private let processor: LineProcessor
    private let labels: Labels
    private let batcher: Batcher
    private let checkpoints: FileCheckpoints
    private let spool: Spool
    private let metrics: AgentMetrics
    private let logger: Logger
    private let stopFlag = StopFlag()

    private var files: [FileKey: TailedFile] = [:]
    private var warned: Set<String> = []
    private var firstScan = true
    private var spooled: [FileIdentity: UInt64] = [:]
    private var labelCache: [String: Labels] = [:]
    static let chunkBytes = 256 << 10
    static let recordsPerSubmit = 10_000

    struct FileKey: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    public init(name: String, settings: FileInputSettings, processor: LineProcessor, labels: Labels, batcher: Batcher,
                checkpoints: FileCheckpoints, spool: Spool, metrics: AgentMetrics, logger: Logger) {
        self.name = name
        self.settings = settings
        self.processor = processor
        self.labels = labels
        self.batcher = batcher
        self.checkpoints = checkpoints
        self.spool = spool
        self.metrics = metrics
        self.logger = logger
    }

    public func start() {
        spooled = spool.spooledPositions()
        let thread = Thread { [self] in run() }
        thread.name = "trib-file-\(name)"
        thread.start()
    }

    public func stop() {
        stopFlag.stop()
        stopFlag.waitUntilFinished(timeout: 5)
    }

    /// Files currently open (for tests and /metrics).
    public var openFiles: Int { stopFlag.openFiles }

    private func run() {
        var lastScan = ContinuousClock.now - .seconds(3600)
        while !stopFlag.isStopped {
            if ContinuousClock.now - lastScan >= settings.scanInterval {
                scan()
                lastScan = .now
                stopFlag.openFiles = files.count
            }
            var busy = false
            var waiting = false
            for file in files.values {
                // The spool is behind: wait a moment, not a whole poll interval.
                guard batcher.accepting else {
                    waiting = true
                    break
                }
                if read(file) { busy = true }
            }
            flushTimedOut()
            closeFinished()
            if waiting {
                Thread.sleep(forTimeInterval: 0.005)
            } else if !busy {
                Thread.sleep(forTimeInterval: Double(settings.pollInterval.components.attoseconds) / 1e18
                             + Double(settings.pollInterval.components.seconds))
            }
        }
        // Unfinished lines and multiline records are read again next time.
        files = [:]
        stopFlag.finished()
    }

    // MARK: Discovery

    private func scan() {
        var seen: Set<FileKey> = []
        let excluded = Set(settings.exclude.flatMap(Self.glob))
        for pattern in settings.paths {
            for path in Self.glob(pattern) where !excluded.contains(path) {
                var info = stat()
                guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                let key = FileKey(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
                seen.insert(key)
                if let open = files[key] {
                    open.path = path
                    open.rotatedAt = nil
                    continue
                }
                guard info.st_size > 0 else { continue }
                openFile(path, key: key, size: UInt64(info.st_size))
            }
        }
        // Open files no pattern leads to any more were rotated or deleted.
        for (key, file) in files where !seen.contains(key) && file.rotatedAt == nil {
            file.rotatedAt = .now
            logger.debug("\(name): \(file.path) was rotated or deleted; reading it to its end")
        }
        firstScan = false
    }

    private func openFile(_ path: String, key: FileKey, size: UInt64) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            if warned.insert(path).inserted {
                logger.warning("\(name): cannot read \(path): \(reason); retrying at every scan (check the agent user's permissions)")
                metrics.add("tributary_agent_input_errors_total", "unreadable_file")
            }
            return
        }
        warned.remove(path)
        // A file we knew (same device and inode, same first bytes) resumes.
        var resumed: (FileIdentity, UInt64)?
        // Known from the saved checkpoint, or only from batches in the spool
        // (a crash before the first checkpoint was saved).
        var candidates = checkpoints.known(device: key.device, inode: key.inode)
        for (identity, _) in spooled where identity.device == key.device && identity.inode == key.inode
            && !candidates.contains(where: { $0.0 == identity }) {
            candidates.append((identity, 0))
        }
        for (identity, committed) in candidates {
            if TailedFile.fingerprint(descriptor, length: Int(identity.fingerprintLength)) == identity.fingerprint {
                let offset = max(committed, spooled[identity] ?? 0)
                if offset <= size { resumed = (identity, offset) }
                break
            }
        }
        let identity: FileIdentity
        let offset: UInt64
        if let (known, at) = resumed {
            identity = known
            offset = at
        } else {
            guard let fresh = TailedFile.identity(descriptor, device: key.device, inode: key.inode, size: size) else {
                close(descriptor)
                return
            }
            identity = fresh
            offset = firstScan && settings.startAt == .end ? size : 0
        }
        checkpoints.track(identity, path: path, from: offset)
        files[key] = TailedFile(path: path, descriptor: descriptor, device: key.device, inode: key.inode, identity: identity, offset: offset)
        logger.info("\(name): tailing \(path) from byte \(offset)")
    }

    private func closeFinished() {
        let wait = settings.rotateWait
        for (key, file) in files {
            guard let rotatedAt = file.rotatedAt, ContinuousClock.now - rotatedAt >= wait, ContinuousClock.now - file.lastGrowth >= wait else { continue }
            var info = stat()
            if fstat(file.descriptor, &info) == 0, UInt64(info.st_size) > file.readOffset { continue }
            // The file will not grow again: its last line needs no newline.
            var batch = RecordBatch()
            if file.partial.readableBytes > 0 {
                let rest = file.partial
                file.partial = ByteBuffer()
                deliver(rest, file: file, end: file.readOffset, part: file.splitParts > 0 ? file.splitParts + 1 : nil, into: &batch)
            }
            emitPending(file, into: &batch)
            if !batch.records.isEmpty || file.consumed > 0 { submit(&batch, file) }
            files[key] = nil
            logger.info("\(name): finished \(file.path) (rotated or deleted) at byte \(file.consumed)")
        }
    }

    // MARK: Reading

    /// Reads the next chunk; true if there was new data.
    private func read(_ file: TailedFile) -> Bool {
        var info = stat()
        guard fstat(file.descriptor, &info) == 0 else { return false }
        let size = UInt64(info.st_size)
        if size < file.readOffset {
            truncated(file)
            return true
        }
        guard size > file.readOffset else { return false }
        // Truncated and written again past our offset before we looked
        // (copytruncate under load): the first bytes changed.
        if file.probeLength > 0, TailedFile.fingerprint(file.descriptor, length: file.probeLength) != file.probeChecksum {
            truncated(file)
            return true
        }
        if file.identityPending {
            guard let identity = TailedFile.identity(file.descriptor, device: file.device, inode: file.inode, size: size) else { return false }
            file.identity = identity
            file.identityPending = false
            checkpoints.track(identity, path: file.path, from: 0)
        }
        let want = Int(min(size - file.readOffset, UInt64(Self.chunkBytes)))
        var chunk = ByteBuffer()
        chunk.reserveCapacity(want)
        let count = chunk.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { pointer in
            max(0, pread(file.descriptor, pointer.baseAddress, want, off_t(file.readOffset)))
        }
        guard count > 0 else { return false }
        let chunkStart = file.readOffset
        file.readOffset += UInt64(count)
        file.lastGrowth = .now
        if file.probeLength < TailedFile.fingerprintBytes, file.readOffset > UInt64(file.probeLength) {
            let length = Int(min(file.readOffset, UInt64(TailedFile.fingerprintBytes)))
            if let checksum = TailedFile.fingerprint(file.descriptor, length: length) {
                file.probeLength = length
                file.probeChecksum = checksum
            }
        }

        var batch = RecordBatch()
        let base = chunk.readerIndex
        var lineStart = base
        let newlines: [Int] = chunk.withUnsafeReadableBytes { raw in
            var found: [Int] = []
            var offset = 0
            while offset < raw.count, let hit = memchr(raw.baseAddress! + offset, 0x0A, raw.count - offset) {
                let index = raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
                found.append(index)
                offset = index + 1
            }
            return found
        }
        for newline in newlines {
            var line = chunk.getSlice(at: lineStart, length: base + newline - lineStart)!
            if file.partial.readableBytes > 0 {
                file.partial.writeBuffer(&line)
                line = file.partial
                file.partial = ByteBuffer()
            }
            deliverComplete(line, file: file, end: chunkStart + UInt64(newline + 1), into: &batch)
            lineStart = base + newline + 1
            if batch.records.count >= Self.recordsPerSubmit { submit(&batch, file) }
        }
        if lineStart < chunk.writerIndex {
            var rest = chunk.getSlice(at: lineStart, length: chunk.writerIndex - lineStart)!
            file.partial.writeBuffer(&rest)
            // A line longer than max_line_bytes goes in flagged parts.
            // Only more than max_line_bytes proves the line is too long: a line of
            // exactly that length whose newline is in the next read stays whole.
            while file.partial.readableBytes > settings.maxLineBytes {
                let piece = file.partial.readSlice(length: settings.maxLineBytes)!
                file.partial.discardReadBytes()
                file.splitParts += 1
                let end = file.readOffset - UInt64(file.partial.readableBytes)
                if file.splitParts == 1 { metrics.add("tributary_agent_lines_split_total", name) }
                deliver(piece, file: file, end: end, part: file.splitParts, into: &batch)
            }
        }
        submit(&batch, file)
        return true
    }

    /// A whole line ending (newline included) at file offset `end`; a line
    /// longer than max_line_bytes goes in parts with a `part` field.
    private func deliverComplete(_ line: ByteBuffer, file: TailedFile, end: UInt64, into batch: inout RecordBatch) {
        var rest = line
        var carriageReturn: UInt64 = 0
        if rest.readableBytes > 0, rest.getInteger(at: rest.writerIndex - 1, as: UInt8.self) == 0x0D {
            rest.moveWriterIndex(to: rest.writerIndex - 1)
            carriageReturn = 1
        }
        var part = file.splitParts
        file.splitParts = 0
        while rest.readableBytes > settings.maxLineBytes {
            let piece = rest.readSlice(length: settings.maxLineBytes)!
            part += 1
            if part == 1 { metrics.add("tributary_agent_lines_split_total", name) }
            let pieceEnd = end - 1 - carriageReturn - UInt64(rest.readableBytes)
            deliver(piece, file: file, end: pieceEnd, part: part, into: &batch)
        }
        deliver(rest, file: file, end: end, part: part > 0 ? part + 1 : nil, into: &batch)
    }

    private struct RecordBatch {
        var records: [Record] = []
        var bytes = 0
    }

    private func submit(_ batch: inout RecordBatch, _ file: TailedFile) {
        batcher.submit(batch.records, input: name, bytes: batch.bytes, position: file.position)
        batch = RecordBatch()
    }

    private func truncated(_ file: TailedFile) {
        logger.info("\(name): \(file.path) was truncated (copytruncate rotation?): reading it again from the start")
        flushPending(file)
        file.partial = ByteBuffer()
        file.splitParts = 0
        file.readOffset = 0
        file.consumed = 0
        file.probeLength = 0
        // A new identity from the new first bytes, once there are some.
        file.identityPending = true
    }

    /// One line (or a part of a long one) ending at file offset `end`.
    private func deliver(_ line: ByteBuffer, file: TailedFile, end: UInt64, part: Int?, into batch: inout RecordBatch) {
        switch settings.format {
        case .docker:
            deliverDocker(line, file: file, end: end, into: &batch)
        case .lines:
            if let multiline = settings.multiline, part == nil {
                join(line, multiline, file: file, end: end, into: &batch)
            } else {
                emit(line, file: file, end: end, extraFields: part.map { [Field("part", String($0))] } ?? [], into: &batch)
            }
        }
    }

    private func join(_ line: ByteBuffer, _ multiline: MultilineSettings, file: TailedFile, end: UInt64, into batch: inout RecordBatch) {
        let text = String(decoding: line.readableBytesView, as: UTF8.self)
        let starts = multiline.start.matches(text)
        if var pending = file.pendingRecord {
            let fits = file.pendingLines < multiline.maxLines && pending.readableBytes + line.readableBytes < multiline.maxBytes
            if !starts && fits {
                pending.writeInteger(UInt8(0x0A))
                var copy = line
                pending.writeBuffer(&copy)
                file.pendingRecord = pending
                file.pendingLines += 1
                file.pendingEnd = end
                file.pendingSince = .now
                return
            }
            emitPending(file, into: &batch)
        }
        var copy = ByteBuffer()
        var source = line
        copy.writeBuffer(&source)
        file.pendingRecord = copy
        file.pendingLines = 1
        file.pendingEnd = end
        file.pendingSince = .now
    }

    private func emitPending(_ file: TailedFile, into batch: inout RecordBatch) {
        guard let pending = file.pendingRecord else { return }
        file.pendingRecord = nil
        emit(pending, file: file, end: file.pendingEnd, extraFields: [], into: &batch)
    }

    private func flushTimedOut() {
        for file in files.values {
            if let multiline = settings.multiline, file.pendingRecord != nil, ContinuousClock.now - file.pendingSince >= multiline.timeout {
                flushPending(file)
            }
        }
    }

    private func flushPending(_ file: TailedFile) {
        var batch = RecordBatch()
        emitPending(file, into: &batch)
        if !batch.records.isEmpty { submit(&batch, file) }
    }

    private func deliverDocker(_ line: ByteBuffer, file: TailedFile, end: UInt64, into batch: inout RecordBatch) {
        let parsed = line.withUnsafeReadableBytes { DockerLogLine.parse($0) }
        guard let parsed else {
            metrics.add("tributary_agent_input_errors_total", "docker_unparsed_line")
            emit(line, file: file, end: end, extraFields: [Field("unparsed", "true")], into: &batch)
            return
        }
        var text = (file.dockerPartial ?? "") + parsed.log
        if parsed.partial && text.utf8.count < settings.maxLineBytes {
            file.dockerPartial = text
            return
        }
        file.dockerPartial = nil
        if text.utf8.count > settings.maxLineBytes { text = String(text.utf8.prefix(settings.maxLineBytes)) ?? text }
        let containerID = Self.containerID(file.path)
        let labels = dockerLabels(containerID: containerID, stream: parsed.stream)
        emit(ByteBuffer(string: text), file: file, end: end, extraFields: [], labels: labels,
             timestamp: parsed.timestamp, into: &batch)
    }

    private func dockerLabels(containerID: String, stream: String) -> Labels {
        let key = containerID + "/" + stream
        if let cached = labelCache[key] { return cached }
        var result = labels
        if let withID = try? result.setting("container_id", to: containerID) { result = withID }
        if let withStream = try? result.setting("stream", to: stream) { result = withStream }
        if labelCache.count > 10_000 { labelCache = [:] }
        labelCache[key] = result
        return result
    }

    /// `/var/lib/docker/containers/<id>/<id>-json.log` → the id (12 characters, as `docker ps` shows).
    static func containerID(_ path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return String((directory as NSString).lastPathComponent.prefix(12))
    }

    private func emit(_ message: ByteBuffer, file: TailedFile, end: UInt64, extraFields: [Field], labels: Labels? = nil,
                      timestamp: Int64? = nil, into batch: inout RecordBatch) {
        file.consumed = end
        guard let output = processor.process(message) else {
            metrics.add("tributary_agent_filtered_total", name)
            return
        }
        let record = LogRecord(
            timestamp: timestamp ?? Self.now(), severity: output.severity, labels: labels ?? self.fileLabels(file),
            message: output.message, fields: extraFields.isEmpty ? output.fields : output.fields + extraFields)
        batch.records.append(.log(record))
        batch.bytes += output.message.readableBytes + 16
    }

    private func fileLabels(_ file: TailedFile) -> Labels {
        if let cached = labelCache[file.path] { return cached }
        let result = (try? labels.setting("filename", to: file.path)) ?? labels
        if labelCache.count > 10_000 { labelCache = [:] }
        labelCache[file.path] = result
        return result
    }

    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Paths matching a shell pattern, sorted.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths.sorted()
    }
}
