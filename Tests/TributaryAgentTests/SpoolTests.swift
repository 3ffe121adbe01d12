import Foundation
import Logging
import NIOCore
import Testing
import TributaryModel
import TributaryWire
@testable import TributaryAgent

@Suite struct SpoolTests {
    static let logger = Logger(label: "test.spool")

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trib-spool-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func batch(_ text: String) throws -> Batch {
        let record = Record.log(LogRecord(timestamp: 1_000, labels: try Labels(["app": "a"]), message: text))
        return try BatchEncoder(compression: .fastest).encode([record], agentID: "agent", sequence: 1)
    }

    static let file = FileIdentity(device: 1, inode: 2, fingerprint: 3, fingerprintLength: 4)

    @Test func batchesSurviveARestartWithTheirSequencesAndPositions() throws {
        let path = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let (spool, recovery) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
            #expect(recovery.batches == 0)
            for index in 1...5 {
                let sequence = try spool.append(Self.batch("line \(index)"), positions: [FilePosition(file: Self.file, offset: UInt64(index * 10))])
                #expect(sequence == UInt64(index))
            }
            #expect(spool.remove(1)?.first?.offset == 10)
            #expect(spool.remove(2) != nil)
            spool.close()
        }
        let (spool, recovery) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
        defer { spool.close() }
        // Batches 1 and 2 shared the segment with 3–5, so it stays; the node
        // deduplicates the resend of an acknowledged batch.
        #expect(recovery.batches == 5)
        #expect(spool.spooledPositions()[Self.file] == 50)
        let batch = try spool.batch(4, agentID: "agent")
        #expect(batch.sequence == 4)
        let records = try BatchDecoder().decode(batch)
        guard case .log(let log) = records.first else { Issue.record("not a log"); return }
        #expect(String(buffer: log.message) == "line 4")
        #expect(try spool.append(Self.batch("next"), positions: []) == 6)
    }

    @Test func sequencesAreNeverReusedAfterEverythingWasAcknowledged() throws {
        let path = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let (spool, _) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
            for _ in 1...3 { _ = try spool.append(Self.batch("x"), positions: []) }
            for sequence in 1...3 { spool.remove(UInt64(sequence)) }
            #expect(spool.pendingCount == 0)
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
            #expect(names.contains { $0.hasSuffix(".tspool") }, "kept until the file checkpoints are saved")
            spool.deleteSegments(spool.doneSegments())
            spool.close()
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
        #expect(!names.contains { $0.hasSuffix(".tspool") }, "acknowledged segments are deleted: \(names)")
        let (spool, recovery) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
        defer { spool.close() }
        #expect(recovery.batches == 0)
        #expect(try spool.append(Self.batch("y"), positions: []) == 4)
    }

    /// Numbering again from 1 after failing to read the sequence file would
    /// make nodes drop every new batch as a duplicate: only a missing file
    /// means a fresh spool.
    @Test func anUnreadableOrDamagedSequenceFileStopsTheStartInsteadOfRenumbering() throws {
        let path = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let (spool, _) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
            for _ in 1...3 { _ = try spool.append(Self.batch("x"), positions: []) }
            for sequence in 1...3 { spool.remove(UInt64(sequence)) }
            spool.deleteSegments(spool.doneSegments())
            spool.close()
        }
        let sequenceFile = path + "/" + SpoolFormat.sequenceFile
        // Unreadable (a directory in its place: EISDIR even for root).
        try FileManager.default.removeItem(atPath: sequenceFile)
        try FileManager.default.createDirectory(atPath: sequenceFile, withIntermediateDirectories: false)
        let unreadable = #expect(throws: SpoolError.self) { try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger) }
        #expect("\(unreadable!)".contains(sequenceFile) && "\(unreadable!)".contains("agent-id"))
        // Damaged contents.
        try FileManager.default.removeItem(atPath: sequenceFile)
        try "garbage".write(toFile: sequenceFile, atomically: true, encoding: .utf8)
        let damaged = #expect(throws: SpoolError.self) { try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger) }
        #expect("\(damaged!)".contains("not a batch number"))
        // Restored: numbering goes on after 3.
        try "3\n".write(toFile: sequenceFile, atomically: true, encoding: .utf8)
        let (spool, _) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
        defer { spool.close() }
        #expect(try spool.append(Self.batch("y"), positions: []) == 4)
    }

    @Test func aTornLastEntryIsCutAndTheRestKept() throws {
        let path = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let (spool, _) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
            for index in 1...3 { _ = try spool.append(Self.batch("line \(index)"), positions: []) }
            spool.close()
        }
        let segment = path + "/" + SpoolFormat.segmentName(firstSequence: 1)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
        #expect(truncate(segment, off_t(size - 7)) == 0)
        let (spool, recovery) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
        defer { spool.close() }
        #expect(recovery.batches == 2)
        #expect(recovery.tornBytes > 0)
        #expect(recovery.quarantined.isEmpty)
        // The next batch takes the lost number: it was never sent to anyone.
        #expect(try spool.append(Self.batch("again"), positions: []) == 3)
    }

    @Test func aDamagedSegmentIsQuarantinedKeepingItsIntactBatches() throws {
        let path = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let (spool, _) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
            for index in 1...4 { _ = try spool.append(Self.batch("line \(index) " + String(repeating: "x", count: 100)), positions: []) }
            spool.close()
        }
        let segment = path + "/" + SpoolFormat.segmentName(firstSequence: 1)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        // Flip a byte in the third entry's body.
        let entry = (bytes.count - SpoolFormat.headerBytes) / 4
        bytes[SpoolFormat.headerBytes + entry * 2 + entry / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let (spool, recovery) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
        defer { spool.close() }
        #expect(recovery.quarantined == [SpoolFormat.segmentName(firstSequence: 1) + ".corrupt"])
        #expect(spool.pendingSequences == [1, 2])
        #expect(FileManager.default.fileExists(atPath: segment + ".corrupt"))
        // Numbers 3 and 4 may have reached a node: they are never reused.
        #expect(try spool.append(Self.batch("after"), positions: []) > 4)
    }

    @Test func garbageInASegmentNeverStopsTheAgent() throws {
        let path = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var generator = SystemRandomNumberGenerator()
        try Data((0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) })
            .write(to: URL(fileURLWithPath: path + "/" + SpoolFormat.segmentName(firstSequence: 7)))
        try Data(SpoolFormat.magic + [1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3])
            .write(to: URL(fileURLWithPath: path + "/" + SpoolFormat.segmentName(firstSequence: 9)))
        let (spool, recovery) = try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger)
        defer { spool.close() }
        #expect(recovery.quarantined.count == 2)
        #expect(spool.pendingCount == 0)
        _ = try spool.append(Self.batch("fine"), positions: [])
    }

    @Test func anUnwritableDirectoryIsAClearErrorAtStart() throws {
        guard getuid() != 0 else {
            // root writes anywhere; a file where the directory should be still fails.
            let path = try Self.directory()
            defer { try? FileManager.default.removeItem(atPath: path) }
            _ = FileManager.default.createFile(atPath: path + "/spool", contents: Data("x".utf8))
            let error = #expect(throws: SpoolError.self) { try Spool.open(directory: path + "/spool", maxBytes: 1 << 30, logger: Self.logger) }
            #expect(error?.description.contains("spool directory") == true)
            return
        }
        let path = try Self.directory()
        defer { chmod(path, 0o755); try? FileManager.default.removeItem(atPath: path) }
        chmod(path, 0o500)
        let error = #expect(throws: SpoolError.self) { try Spool.open(directory: path, maxBytes: 1 << 30, logger: Self.logger) }
        #expect(error?.description.contains("not writable") == true)
    }

    @Test func theSizeCapReportsFullUntilBatchesAreAcknowledged() throws {
        let path = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (spool, _) = try Spool.open(directory: path, maxBytes: 2000, segmentBytes: 600, logger: Self.logger)
        defer { spool.close() }
        var sequences: [UInt64] = []
        while !spool.isFull { sequences.append(try spool.append(Self.batch(String(repeating: "y", count: 300)), positions: [])) }
        #expect(sequences.count >= 2)
        for sequence in sequences { spool.remove(sequence) }
        spool.deleteSegments(spool.doneSegments())
        #expect(!spool.isFull)
    }
}
