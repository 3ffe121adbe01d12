import Foundation
import NIOCore
import Testing
import TributaryModel
import TributaryQuery
import TributaryStorage
import TributaryTestSupport

@Suite struct BlockTests {
    static func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trib-block-\(UUID().uuidString).tblk").path
    }

    /// Real log lines from two Loghub files, in three streams, plus an event.
    static func records() throws -> [Record] {
        var records: [Record] = []
        for (file, hosts) in [("OpenSSH_2k.log", ["ssh-1", "ssh-2"]), ("Apache_2k.log", ["web-1"])] {
            let lines = try String(contentsOf: RepositoryPaths.loghub.appendingPathComponent(file), encoding: .utf8).split(whereSeparator: \.isNewline)
            for (index, line) in lines.enumerated() {
                let labels = try Labels(["app": String(file.prefix { $0 != "_" }).lowercased(), "host": hosts[index % hosts.count]])
                records.append(.log(LogRecord(timestamp: 1_700_000_000_000_000_000 + Int64(index) * 1_000_000, severity: .info,
                                              labels: labels, message: String(line))))
            }
        }
        records.append(.event(ChangeEvent(type: "deploy", labels: try Labels(["app": "openssh", "host": "ssh-1"]),
                                          timestamp: 1_700_000_000_500_000_000, message: "v1.4.2 rolled out")))
        return records.shuffled(using: &Self.generator)
    }

    nonisolated(unsafe) static var generator = SeededGenerator(seed: 17)

    /// Stream, time, then the whole record: a log line and an event may share a timestamp.
    static func key(_ record: Record) -> String { "\(record.labels)|\(record.timestamp)|\(record)" }

    /// A message holding newlines (a stack trace) switches its chunk to
    /// stored lengths; binary bytes and empty messages survive too.
    @Test func multilineBinaryAndEmptyMessagesComeBackExactly() throws {
        let path = Self.temporaryFile()
        defer { unlink(path) }
        let labels = try Labels(["app": "java"])
        let messages = [ByteBuffer(string: "Exception in thread \"main\"\n\tat A.b(A.java:3)\n"), ByteBuffer(bytes: [0, 10, 255, 10]),
                        ByteBuffer(), ByteBuffer(string: "plain line")]
        let records = messages.enumerated().map { Record.log(LogRecord(timestamp: 1_000 + Int64($0.offset), labels: labels, message: $0.element)) }
        try BlockWriter.write(records, to: path)
        let reader = try BlockReader(path: path)
        #expect(try reader.chunks.flatMap { try reader.records(of: $0) } == records)

        let plain = [Record.log(LogRecord(timestamp: 5, labels: labels, message: "")), .log(LogRecord(timestamp: 6, labels: labels, message: "x"))]
        try BlockWriter.write(plain, to: path)
        let again = try BlockReader(path: path)
        #expect(try again.chunks.flatMap { try again.records(of: $0) } == plain)
    }

    /// On a thread of its own: rendering every record for the comparison
    /// takes seconds in a debug build, which would hold a test-pool thread.
    @Test func everyRecordComesBackByStreamInTimeOrder() async throws {
        try await OwnThread.run {
            let path = Self.temporaryFile()
            defer { unlink(path) }
            let records = try Self.records()
            let summary = try BlockWriter.write(records, to: path)
            #expect(summary.chunks == 3)
            #expect(summary.records == records.count)

            let reader = try BlockReader(path: path)
            #expect(reader.chunks.count == 3, "\(reader.chunks.map(\.labels))")
            var read: [Record] = []
            for chunk in reader.chunks {
                let chunkRecords = try reader.records(of: chunk)
                #expect(chunkRecords.count == chunk.recordCount)
                #expect(chunkRecords.map(\.timestamp) == chunkRecords.map(\.timestamp).sorted())
                #expect(chunkRecords.allSatisfy { $0.labels == chunk.labels })
                read += chunkRecords
            }
            // Keys computed once per record: rendering a record is costly, and a
            // sort that renders in its comparator holds a test thread for seconds.
            #expect(read.map(Self.key).sorted() == records.map(Self.key).sorted())
        }
    }

    @Test func theSameRecordsGiveTheSameBytes() throws {
        let records = try Self.records()
        let a = Self.temporaryFile()
        let b = Self.temporaryFile()
        defer { unlink(a); unlink(b) }
        try BlockWriter.write(records, to: a)
        try BlockWriter.write(records.reversed(), to: b)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
    }

    @Test func aSearchSkipsChunksThatCannotMatch() throws {
        let path = Self.temporaryFile()
        defer { unlink(path) }
        try BlockWriter.write(try Self.records(), to: path)
        let reader = try BlockReader(path: path)
        guard case .logs(let querySelector) = try QueryExpr.parse(#"{app=~".+"} |= "Invalid user webmaster""#) else { return }
        let query = LogQuery(querySelector)

        var statistics = BlockReader.SearchStatistics()
        let matches = try reader.search(query, start: .min, end: .max, statistics: &statistics)
        let expected = try Self.records().filter {
            if case .log(let log) = $0 { return String(buffer: log.message).contains("Invalid user webmaster") }
            return false
        }
        #expect(!expected.isEmpty)
        #expect(matches.count == expected.count)
        #expect(statistics.skippedByFilter >= 1, "the Apache chunk has no such trigrams: \(statistics)")

        guard case .logs(let webSelector) = try QueryExpr.parse(#"{host="web-1"} |= "error""#) else { return }
        let web = LogQuery(webSelector)
        statistics = BlockReader.SearchStatistics()
        let webMatches = try reader.search(web, start: .min, end: .max, statistics: &statistics)
        #expect(statistics.skippedByLabels == 2)
        #expect(!webMatches.isEmpty && webMatches.allSatisfy { $0.labels["host"] == "web-1" })

        statistics = BlockReader.SearchStatistics()
        let early = try reader.search(query, start: 0, end: 1_000, statistics: &statistics)
        #expect(early.isEmpty)
        #expect(statistics.skippedByTime == 3)

        guard case .logs(let eventsSelector) = try QueryExpr.parse(#"{host="ssh-1"} |= "rolled out""#) else { return }
        let events = LogQuery(eventsSelector)
        statistics = BlockReader.SearchStatistics()
        let found = try reader.search(events, start: .min, end: .max, statistics: &statistics)
        #expect(found.count == 1)
        if case .event(let event)? = found.first { #expect(event.type == "deploy") } else { Issue.record("no event") }
    }

    @Test func theTrigramFilterHasNoFalseNegatives() throws {
        let path = Self.temporaryFile()
        defer { unlink(path) }
        let records = try Self.records()
        try BlockWriter.write(records, to: path)
        let reader = try BlockReader(path: path)
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<500 {
            guard case .log(let log) = records.randomElement(using: &generator)! else { continue }
            let line = Array(String(buffer: log.message))
            guard line.count > 4 else { continue }
            let start = Int.random(in: 0..<(line.count - 3), using: &generator)
            let length = Int.random(in: 3...min(20, line.count - start), using: &generator)
            let needle = String(line[start..<(start + length)])
            let chunk = try #require(reader.chunks.first { $0.labels == log.labels })
            #expect(chunk.filter.mightContain(needle), "\"\(needle)\" is in the chunk")
        }
        // And mostly refuses what is absent.
        let absent = reader.chunks.filter { !$0.filter.mightContain("zqxjkvbwpf") }.count
        #expect(absent == reader.chunks.count)
    }

    @Test func damageIsReportedWithTheFileAndPart() throws {
        let path = Self.temporaryFile()
        defer { unlink(path) }
        try BlockWriter.write(try Self.records(), to: path)
        let original = try #require(FileManager.default.contents(atPath: path))

        // A flipped byte inside the first chunk: the index is fine, the chunk is not.
        var damaged = original
        damaged[40] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: path))
        let reader = try BlockReader(path: path)
        #expect(throws: BlockError.self) { try reader.records(of: reader.chunks[0]) }
        do {
            _ = try reader.records(of: reader.chunks[0])
        } catch {
            #expect(error.description.contains(path) && error.description.contains("fails its checksum"))
        }

        // A truncated file: no footer.
        try original.prefix(original.count - 7).write(to: URL(fileURLWithPath: path))
        #expect(throws: BlockError.corrupt(path: path, detail: "not a complete block (header or footer missing)")) {
            try BlockReader(path: path)
        }

        // A flipped byte in the index.
        var index = original
        index[original.count - 40] ^= 0x01
        try index.write(to: URL(fileURLWithPath: path))
        #expect(throws: BlockError.corrupt(path: path, detail: "the index fails its checksum")) { try BlockReader(path: path) }
    }
}
