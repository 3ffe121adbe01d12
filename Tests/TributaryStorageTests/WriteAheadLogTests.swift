import Foundation
import NIOCore
import Testing
import TributaryStorage
import TributaryTestSupport

@Suite struct WriteAheadLogTests {
    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trib-wal-\(UUID().uuidString)").path
        return path
    }

    static func payload(_ index: Int, size: Int = 32) -> ByteBuffer {
        var buffer = ByteBuffer(string: "record-\(index)-")
        buffer.writeRepeatingByte(UInt8(truncatingIfNeeded: index), count: max(0, size - buffer.readableBytes))
        return buffer
    }

    static func replayed(_ log: WriteAheadLog, from sequence: UInt64 = 1) throws -> [WALRecord] {
        var records: [WALRecord] = []
        try log.replay(from: sequence) { records.append($0) }
        return records
    }

    /// Appends records 1…10, closes the log, returns its segment's path.
    static func writeTenRecords(in directory: String) async throws -> String {
        let (log, _) = try WriteAheadLog.open(directory: directory)
        for index in 1...10 { _ = try await log.append(payload(index)) }
        await log.close()
        return directory + "/" + (try segmentFiles(directory)).last!
    }

    static func segmentFiles(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") }.sorted()
    }

    @Test func appendedRecordsSurviveAReopenInOrder() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (log, report) = try WriteAheadLog.open(directory: directory)
        #expect(report == WALRecoveryReport())
        for index in 1...100 {
            #expect(try await log.append(Self.payload(index)) == UInt64(index))
        }
        await log.close()

        let (reopened, recovery) = try WriteAheadLog.open(directory: directory)
        #expect(recovery.records == 100)
        #expect(recovery.lastSequence == 100)
        #expect(recovery.truncations.isEmpty && recovery.quarantines.isEmpty)
        let records = try Self.replayed(reopened)
        #expect(records.map(\.sequence) == Array(1...100))
        #expect(records.map(\.payload) == (1...100).map { Self.payload($0) })
        #expect(try await reopened.append(Self.payload(101)) == 101)
        #expect(try Self.replayed(reopened, from: 100).map(\.sequence) == [100, 101])
    }

    @Test func concurrentAppendsShareSyncs() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (log, _) = try WriteAheadLog.open(directory: directory)
        let sequences = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for index in 1...300 {
                group.addTask { try await log.append(Self.payload(index)) }
            }
            return try await group.reduce(into: [UInt64]()) { $0.append($1) }
        }
        #expect(sequences.sorted() == Array(1...300))
        let statistics = try await log.statistics()
        #expect(statistics.appends == 300)
        #expect(statistics.syncs < 150, "group commit should share syncs: \(statistics.syncs) for 300 appends")
        #expect(statistics.syncs >= 1)
    }

    @Test func aTornTailIsCutOffAndTheLogContinues() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let segment = try await Self.writeTenRecords(in: directory)

        // A crash in the middle of writing record 11: header and part of it.
        let handle = try #require(FileHandle(forWritingAtPath: segment))
        handle.seekToEndOfFile()
        handle.write(Data([0, 0, 0, 100, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 11]) + Data(repeating: 7, count: 30))
        try handle.close()

        let (reopened, report) = try WriteAheadLog.open(directory: directory)
        #expect(report.records == 10)
        #expect(report.truncations.count == 1)
        #expect(report.truncations.first?.droppedBytes == 46)
        #expect(report.truncations.first?.reason == "incomplete record at the end")
        #expect(try await reopened.append(Self.payload(11)) == 11)
        await reopened.close()

        let (_, clean) = try WriteAheadLog.open(directory: directory)
        #expect(clean.records == 11)
        #expect(clean.truncations.isEmpty)
    }

    @Test func aDamagedLastRecordIsCutOffByItsChecksum() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let segment = try await Self.writeTenRecords(in: directory)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[bytes.count - 3] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: segment))

        let (reopened, report) = try WriteAheadLog.open(directory: directory)
        #expect(report.records == 9)
        #expect(report.truncations.first?.reason.contains("checksum mismatch") == true)
        #expect(try Self.replayed(reopened).map(\.sequence) == Array(1...9))
    }

    @Test func damageInAnOlderSegmentIsQuarantinedAndTheRestServed() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = WALConfiguration()
        configuration.segmentBytes = 300
        let (log, _) = try WriteAheadLog.open(directory: directory, configuration: configuration)
        for index in 1...40 { _ = try await log.append(Self.payload(index)) }
        await log.close()
        let segments = try Self.segmentFiles(directory)
        #expect(segments.count > 3)

        // Damage the second record of the first segment.
        let first = directory + "/" + segments[0]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        bytes[8 + 48 + 20] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: first))

        let (reopened, report) = try WriteAheadLog.open(directory: directory, configuration: configuration)
        #expect(report.quarantines.count == 1)
        #expect(report.quarantines.first?.keptRecords == 1)
        #expect(FileManager.default.fileExists(atPath: first + ".corrupt"))
        let sequences = try Self.replayed(reopened).map(\.sequence)
        #expect(sequences.first == 1)
        #expect(sequences.last == 40)
        #expect(!sequences.contains(2), "the damaged record is not served")
        #expect(try await reopened.append(Self.payload(41)) == 41)
    }

    @Test func segmentsRotateAndOldOnesCanBeRemoved() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = WALConfiguration()
        configuration.segmentBytes = 500
        let (log, _) = try WriteAheadLog.open(directory: directory, configuration: configuration)
        for index in 1...60 { _ = try await log.append(Self.payload(index)) }
        let before = try Self.segmentFiles(directory)
        #expect(before.count >= 5)
        let removed = try await log.removeSegments(through: 30)
        let after = try Self.segmentFiles(directory)
        #expect(removed == before.count - after.count)
        let remaining = try Self.replayed(log).map(\.sequence)
        #expect(remaining.first! <= 31, "records after 30 are all kept")
        #expect(remaining.last == 60)
        #expect(Set(remaining).isSuperset(of: 31...60))
    }

    /// Once a checkpoint covers everything, even the segment being written
    /// goes; numbering continues from the checkpoint after a reopen.
    @Test func aFullyCoveredLogIsDeletedAndNumberingContinues() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (log, _) = try WriteAheadLog.open(directory: directory)
        for index in 1...3 { _ = try await log.append(Self.payload(index)) }
        #expect(try await log.removeSegments(through: 2) == 0, "record 3 is not covered: the segment stays")
        #expect(try await log.removeSegments(through: 3) == 1)
        #expect(try Self.segmentFiles(directory).isEmpty)
        #expect(try await log.append(Self.payload(4)) == 4)
        #expect(try Self.replayed(log).map(\.sequence) == [4])
        #expect(try await log.removeSegments(through: 4) == 1)
        await log.close()

        let (reopened, report) = try WriteAheadLog.open(directory: directory, after: 4)
        #expect(report.records == 0)
        #expect(try await reopened.append(Self.payload(5)) == 5, "not 1: the checkpoint said 4 was used")
        await reopened.close()
    }

    @Test func anOversizedRecordIsRefused() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = WALConfiguration()
        configuration.maxRecordBytes = 100
        let (log, _) = try WriteAheadLog.open(directory: directory, configuration: configuration)
        await #expect(throws: StorageError.recordTooLarge(bytes: 101, limit: 100)) {
            try await log.append(ByteBuffer(repeating: 1, count: 101))
        }
        #expect(try await log.append(ByteBuffer(repeating: 1, count: 100)) == 1)
    }

    /// A real ENOSPC: the log lives on a 512 KiB tmpfs (mounting needs root,
    /// which CI has).
    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func aFullDiskRefusesAppendsLosesNothingAndRecovers() async throws {
        let directory = Self.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let mount = try ProcessResult.run(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=512k", "tmpfs", directory])
        try #require(mount.status == 0, "mount failed: \(mount.stderr)")
        defer {
            _ = try? ProcessResult.run(URL(fileURLWithPath: "/bin/umount"), [directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
        let filler = directory + "/filler"
        #expect(FileManager.default.createFile(atPath: filler, contents: Data(repeating: 0, count: 128 * 1024)))
        let (log, _) = try WriteAheadLog.open(directory: directory + "/wal")

        var acknowledged: [UInt64] = []
        var refusal: Error?
        for index in 1...1000 {
            do {
                acknowledged.append(try await log.append(Self.payload(index, size: 4096)))
            } catch {
                refusal = error
                break
            }
        }
        let error = try #require(refusal as? StorageError, "the disk never filled")
        #expect(error == .diskFull(path: try #require(error.path)))
        #expect(error.description.contains("no space left"))
        #expect(acknowledged.count > 10)

        // Space returns: appending works again, with the next sequence.
        try FileManager.default.removeItem(atPath: filler)
        let next = try await log.append(Self.payload(9999, size: 4096))
        #expect(next == UInt64(acknowledged.count + 1))
        await log.close()

        let (reopened, report) = try WriteAheadLog.open(directory: directory + "/wal")
        #expect(report.truncations.isEmpty, "a refused write leaves no partial record: \(report)")
        let sequences = try Self.replayed(reopened).map(\.sequence)
        #expect(sequences == acknowledged + [next], "every acknowledged record, exactly once")
    }
}

extension StorageError {
    var path: String? {
        if case .diskFull(let path) = self { return path }
        return nil
    }
}
