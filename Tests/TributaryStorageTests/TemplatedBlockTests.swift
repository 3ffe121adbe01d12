import Foundation
import NIOCore
import Testing
import TributaryCompression
import TributaryModel
import TributaryQuery
@testable import TributaryStorage
import TributaryTestSupport

/// Sealed log blocks storing messages as templates and columns (block
/// version 3, chunk mode 3; version 2, chunk mode 2, still read): every
/// byte comes back, old blocks still read, searches rebuild only candidate
/// lines, damage throws.
@Suite struct TemplatedBlockTests {
    static let labels = try! Labels(["app": "test", "host": "h1"])

    /// The lines of a file split at "\n" only: a CRLF file's lines keep their "\r".
    static func lines(of file: URL) throws -> [[UInt8]] {
        let data = try Data(contentsOf: file)
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    static func records(_ messages: [[UInt8]]) -> [Record] {
        messages.enumerated().map { index, message in
            .log(LogRecord(timestamp: 1_700_000_000_000_000_000 + Int64(index) * 1_000_000, severity: .info, labels: labels,
                           message: ByteBuffer(bytes: message)))
        }
    }

    /// Writes `messages` (one stream, in time order) and reads them back in order.
    static func roundTrip(_ messages: [[UInt8]], templated: Bool = true) throws -> (back: [[UInt8]], bytes: Int) {
        let path = BlockTests.temporaryFile()
        defer { unlink(path) }
        let summary = try BlockWriter.write(records(messages), to: path, level: .smallest, templated: templated)
        let reader = try BlockReader(path: path)
        var back: [[UInt8]] = []
        for chunk in reader.chunks {
            for record in try reader.records(of: chunk) {
                guard case .log(let log) = record else { continue }
                back.append(Array(log.message.readableBytesView))
            }
        }
        return (back, summary.bytes)
    }

    static var loghubFiles: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: RepositoryPaths.loghub, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "log" }
            .sorted { $0.path < $1.path }
    }

    @Test func everyLoghubLineComesBackByteForByte() async throws {
        let files = Self.loghubFiles
        #expect(files.count >= 6, "the Loghub samples are missing from \(RepositoryPaths.loghub.path)")
        try await OwnThread.run {
            for file in files {
                let lines = try Self.lines(of: file)
                let (back, _) = try Self.roundTrip(lines)
                #expect(back.count == lines.count, "\(file.lastPathComponent)")
                for (index, line) in lines.enumerated() where index < back.count && back[index] != line {
                    Issue.record("\(file.lastPathComponent) line \(index + 1) differs: \(String(decoding: back[index], as: UTF8.self))")
                    break
                }
            }
        }
    }

    /// Deterministic (no timing): every Loghub file takes less space
    /// templated than as plain lines compressed the same way.
    @Test func templatedBlocksAreSmallerThanPlainLinesOnLoghub() async throws {
        try await OwnThread.run {
            for file in Self.loghubFiles {
                let lines = try Self.lines(of: file)
                let templated = try Self.roundTrip(lines).bytes
                let plain = try Self.roundTrip(lines, templated: false).bytes
                var gzip = ByteBuffer()
                let text = try Data(contentsOf: file)
                _ = Deflater(level: .default, format: .gzip).compress(ByteBuffer(bytes: text), appendingTo: &gzip)
                print("\(file.lastPathComponent): templated \(templated) B, plain \(plain) B, gzip-6 \(gzip.readableBytes) B, "
                      + "templated/gzip \(Double(templated) / Double(gzip.readableBytes))")
                #expect(templated < plain, "\(file.lastPathComponent): templated \(templated) B, plain \(plain) B")
            }
        }
    }

    /// Both section writers on every Loghub file, interleaved on one thread:
    /// each section decodes to the file's lines, and the printout gives
    /// their compressed sizes and the thread CPU time of writing and
    /// compressing them (the part of sealing that differs between mode 2
    /// and mode 3; reported, never asserted).
    @Test func modeTwoAndModeThreeSectionsRoundTripAndReportTheirCost() async throws {
        try await OwnThread.run {
            func cpu() -> Double {
                var time = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
                return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
            }
            let deflater = Deflater(level: .smallest)
            var totals = (two: 0.0, three: 0.0)
            for file in Self.loghubFiles {
                let lines = try Self.lines(of: file)
                let messages = lines.map { ByteBuffer(bytes: $0) }
                var best = (two: Double.infinity, three: Double.infinity)
                var sizes = (two: 0, three: 0)
                var sections = (two: ByteBuffer(), three: ByteBuffer())
                for _ in 0..<3 {
                    var start = cpu()
                    var section = ByteBuffer()
                    var compressed = ByteBuffer()
                    TemplatedTextWriter.write(messages, into: &section)
                    sizes.two = deflater.compress(section, appendingTo: &compressed)
                    best.two = min(best.two, cpu() - start)
                    sections.two = section
                    start = cpu()
                    section.clear()
                    compressed.clear()
                    var blocks: [Deflater.Block] = []
                    TemplateColumnsWriter.write(messages, into: &section, blocks: &blocks)
                    sizes.three = deflater.compress(section, blocks: blocks, appendingTo: &compressed)
                    best.three = min(best.three, cpu() - start)
                    sections.three = section
                }
                let two = try TemplatedTextReader.decode(&sections.two, pieces: nil).map { $0.map { Array($0.readableBytesView) } }
                let three = try TemplateColumnsReader.decode(&sections.three, pieces: nil).map { $0.map { Array($0.readableBytesView) } }
                #expect(two == lines, "\(file.lastPathComponent) mode 2")
                #expect(three == lines, "\(file.lastPathComponent) mode 3")
                totals.two += best.two
                totals.three += best.three
                print("\(file.lastPathComponent): mode 2 \(sizes.two) B in \(best.two) s CPU, mode 3 \(sizes.three) B in \(best.three) s CPU")
            }
            print("all files: mode 2 \(totals.two) s CPU, mode 3 \(totals.three) s CPU")
        }
    }

    /// Invalid UTF-8, empty and whitespace-only lines, separators of every
    /// kind, more tokens than a template holds, numbers with leading zeros
    /// or too many digits, the shape marker bytes, and lines of a megabyte.
    @Test func randomBytesComeBackByteForByte() async throws {
        try await OwnThread.run {
            var generator = SeededGenerator(seed: 0x7E3A_1F)
            let alphabet: [UInt8] = Array("abcXYZ=:/._-[]".utf8) + [0x20, 0x20, 0x09, 0x0D, 0x0A, 0x0B, 0x0C, 0x11, 0x12, 0x00, 0xFF, 0xC3, 0x80]
                + Array("0123456789".utf8)
            var messages: [[UInt8]] = [[], [0x20], [0x0D], Array("  leading and trailing  ".utf8), Array("0 00 007 -0 +5".utf8),
                                       Array("id=12345678901234567890123 x".utf8), [0x11, 0x31], [0x12, 0x02, 0x30, 0x36]]
            let templates = ["user <v> logged in from <v> port <v>", "block blk_<v> of size <v> from /<v>:<v>", "<v> <v> <v>"]
            for index in 0..<3_000 {
                switch index % 4 {
                case 0:
                    let count = Int.random(in: 0..<200, using: &generator)
                    messages.append((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
                case 1:
                    let count = Int.random(in: 0..<64, using: &generator)
                    messages.append((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
                default:
                    var line = templates.randomElement(using: &generator)!
                    while let range = line.range(of: "<v>") {
                        let value = Int.random(in: 0..<4, using: &generator) == 0 ? "0\(UInt64.random(in: 0..<1000, using: &generator))"
                            : String(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0..<64, using: &generator))
                        line.replaceSubrange(range, with: value)
                    }
                    messages.append(Array(line.utf8))
                }
            }
            messages.append((0..<300).flatMap { "t\($0) ".utf8 })  // more tokens than a template holds
            messages.append((0..<(1 << 20)).map { _ in alphabet.randomElement(using: &generator)! })
            messages.append(Array(repeating: 0x39, count: 2 << 20))  // one digit run of megabytes
            let (back, _) = try Self.roundTrip(messages)
            #expect(back.count == messages.count)
            for (index, message) in messages.enumerated() where index < back.count && back[index] != message {
                Issue.record("message \(index) (\(message.count) bytes) differs (seed \(generator.seed))")
                break
            }
        }
    }

    /// Blocks written before templates (version 1, plain lines) read as
    /// they always did, beside version-2 blocks.
    @Test func versionOneBlocksStillRead() throws {
        let lines = try Self.lines(of: RepositoryPaths.loghub.appendingPathComponent("OpenSSH_2k.log"))
        let path = BlockTests.temporaryFile()
        defer { unlink(path) }
        try BlockWriter.write(Self.records(lines), to: path, level: .smallest, templated: false)
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(8)
        #expect(Array(header) == Array("TBLK".utf8) + [0, 0, 0, 1])
        let reader = try BlockReader(path: path)
        let back = try reader.chunks.flatMap { try reader.records(of: $0, containing: [Array("sshd".utf8)]) }
        #expect(back.count == lines.count)
        let templatedPath = BlockTests.temporaryFile()
        defer { unlink(templatedPath) }
        try BlockWriter.write(Self.records(lines), to: templatedPath, level: .smallest, templated: true)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: templatedPath)).prefix(8)) == Array("TBLK".utf8) + [0, 0, 0, 3])
    }

    /// A sealed block written by the build before value columns (version 2,
    /// chunk mode 2: the first 300 lines of Linux_2k.log and HDFS_2k.log in
    /// two streams, kept in Tests/Fixtures) reads line for line, and
    /// searches in it still rebuild only candidate lines.
    @Test func versionTwoBlocksOnDiskStillRead() throws {
        let path = RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/sealed-v2-linux-hdfs.tblk").path
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(8)) == Array("TBLK".utf8) + [0, 0, 0, 2])
        let reader = try BlockReader(path: path)
        var expected: [String: [[UInt8]]] = [:]
        for (file, app) in [("Linux_2k.log", "linux"), ("HDFS_2k.log", "hdfs")] {
            expected[app] = Array(try Self.lines(of: RepositoryPaths.loghub.appendingPathComponent(file)).prefix(300))
        }
        #expect(reader.chunks.count == 2)
        for chunk in reader.chunks {
            let app = chunk.labels["app"] ?? ""
            let back = try reader.records(of: chunk).compactMap { record -> [UInt8]? in
                guard case .log(let log) = record else { return nil }
                return Array(log.message.readableBytesView)
            }
            #expect(back == expected[app], "\(app)")
            let needle = app == "hdfs" ? "blk_-6329494504520216748" : "authentication failure"
            let candidates = try reader.records(of: chunk, containing: [Array(needle.utf8)])
            let matching = expected[app, default: []].filter { $0.firstRange(of: Array(needle.utf8)) != nil }
            #expect(!matching.isEmpty && candidates.count >= matching.count && candidates.count < 300, "\(app): \(candidates.count) candidates")
        }
    }

    /// A block of a newer format is refused with the reason, not misread.
    @Test func anUnknownBlockVersionIsReportedAsSuch() throws {
        let path = BlockTests.temporaryFile()
        defer { unlink(path) }
        try BlockWriter.write(Self.records([Array("x".utf8)]), to: path, templated: true)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[7] = 9
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: BlockError.self) { try BlockReader(path: path) }
        do {
            _ = try BlockReader(path: path)
        } catch {
            #expect(error.description.contains("version 9"))
        }
    }

    /// With substrings, only lines that may hold them are rebuilt, and
    /// every line that does hold them is among those returned.
    @Test func searchesRebuildOnlyCandidateLines() async throws {
        try await OwnThread.run {
            for file in ["HDFS_2k.log", "Apache_2k.log", "OpenSSH_2k.log"] {
                var lines = try Self.lines(of: RepositoryPaths.loghub.appendingPathComponent(file))
                lines[700] += Array(" tribneedle42".utf8)
                lines[1500] += Array(" user=tribneedle42".utf8)
                let path = BlockTests.temporaryFile()
                defer { unlink(path) }
                try BlockWriter.write(Self.records(lines), to: path, level: .smallest, templated: true)
                let reader = try BlockReader(path: path)
                for needle in ["tribneedle42", "error", "Invalid user", "r=tribneedle", "blk_-1", "081109 2036", "=", "  ", "0"] {
                    let expected = lines.filter { $0.firstRange(of: Array(needle.utf8)) != nil }
                    let candidates = try reader.chunks.flatMap { try reader.records(of: $0, containing: [Array(needle.utf8)]) }
                        .compactMap { record -> [UInt8]? in
                            guard case .log(let log) = record else { return nil }
                            return Array(log.message.readableBytesView)
                        }
                    let found = candidates.filter { $0.firstRange(of: Array(needle.utf8)) != nil }
                    #expect(found == expected, "\(file) \(needle): \(found.count) found, \(expected.count) expected")
                    if needle == "tribneedle42" { #expect(candidates.count <= 2, "\(file): \(candidates.count) lines rebuilt for a rare token") }
                }
            }
        }
    }

    /// Damaged sections (inside an intact chunk checksum) throw; they never
    /// trap or run away with memory: mode 2 (blocks already on disk) and mode 3.
    @Test(arguments: [2, 3]) func damagedSectionsThrowInsteadOfTrapping(mode: Int) async throws {
        try await OwnThread.run {
            var lines = try Self.lines(of: RepositoryPaths.loghub.appendingPathComponent(mode == 2 ? "Linux_2k.log" : "BGL_2k.log"))
                .prefix(300).map { $0 }
            lines.append([])
            var section = ByteBuffer()
            var blocks: [Deflater.Block] = []
            if mode == 2 {
                TemplatedTextWriter.write(lines.map { ByteBuffer(bytes: $0) }, into: &section)
            } else {
                TemplateColumnsWriter.write(lines.map { ByteBuffer(bytes: $0) }, into: &section, blocks: &blocks)
            }
            func decode(_ section: inout ByteBuffer, _ pieces: SubstringPieces?) throws -> [ByteBuffer?] {
                mode == 2 ? try TemplatedTextReader.decode(&section, pieces: pieces) : try TemplateColumnsReader.decode(&section, pieces: pieces)
            }
            var intact = section
            let decoded = try decode(&intact, nil)
            #expect(decoded.map { $0.map { Array($0.readableBytesView) } } == lines)
            var generator = SeededGenerator(seed: 99)
            var thrown = 0
            for round in 0..<600 {
                var damaged = section
                let bytes = section.readableBytes
                if round % 3 == 0 {
                    damaged.moveWriterIndex(to: damaged.readerIndex + Int.random(in: 0..<bytes, using: &generator))
                } else {
                    for _ in 0..<(1 + round % 4) {
                        let at = damaged.readerIndex + Int.random(in: 0..<bytes, using: &generator)
                        damaged.setInteger(UInt8.random(in: 0...255, using: &generator), at: at)
                    }
                }
                do {
                    _ = try decode(&damaged, SubstringPieces(substrings: round % 2 == 0 ? [] : [Array("session".utf8)]))
                } catch {
                    thrown += 1
                }
            }
            #expect(thrown > 200)
        }
    }
}
