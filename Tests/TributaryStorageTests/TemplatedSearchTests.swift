import Foundation
import NIOCore
import Testing
import TributaryModel
@testable import TributaryStorage
import TributaryTestSupport

/// Searches over templated chunks (`records(of:containing:)`) test
/// templates, dictionary strings and numeric shapes first and rebuild only
/// candidate lines. Whatever the needle (inside a template's constant text,
/// inside a variable, across the boundary between them, digits inside a
/// number, a piece of an identifier), the lines found are exactly the lines
/// of the input that hold it, and every line rebuilt is the input's line.
@Suite struct TemplatedSearchTests {
    /// The messages a search of `chunks` returns for `needle`, in order.
    static func candidates(_ reader: BlockReader, _ needles: [String]) throws -> [[UInt8]] {
        try reader.chunks.flatMap { try reader.records(of: $0, containing: needles.map { Array($0.utf8) }) }.compactMap { record in
            guard case .log(let log) = record else { return nil }
            return Array(log.message.readableBytesView)
        }
    }

    /// Needles cut from the file's own lines at seeded random places: whole
    /// words, parts of words (often inside variables: ids, addresses,
    /// numbers), and spans across a space (a literal next to a variable, or
    /// two variables), plus fixed ones.
    static func needles(from lines: [[UInt8]], generator: inout SeededGenerator) -> [String] {
        var needles = ["tribneedle42", "error", "ERROR", "r=tribneedle", "blk_-1", ".", ":", "0", "1 ", " 2", "=", "  ", "user"]
        for _ in 0..<16 {
            let line = lines[Int.random(in: 0..<lines.count, using: &generator)]
            guard line.count >= 8 else { continue }
            let start = Int.random(in: 0..<(line.count - 4), using: &generator)
            let length = Int.random(in: 2...min(14, line.count - start), using: &generator)
            needles.append(String(decoding: line[start..<start + length], as: UTF8.self))
            let words = line.split(separator: 0x20)
            if words.count >= 2 {
                let at = Int.random(in: 0..<(words.count - 1), using: &generator)
                let (left, right) = (words[at], words[at + 1])
                needles.append(String(decoding: left.suffix(Int.random(in: 1...left.count, using: &generator)) + [0x20]
                                      + right.prefix(Int.random(in: 1...right.count, using: &generator)), as: UTF8.self))
                needles.append(String(decoding: words[at], as: UTF8.self))
            }
        }
        return needles.filter { !$0.isEmpty && $0.utf8.allSatisfy { $0 != 0x0A } }
    }

    @Test func searchesFindExactlyTheLinesHoldingTheNeedle() async throws {
        let files = TemplatedBlockTests.loghubFiles
        #expect(files.count >= 6, "the Loghub samples are missing from \(RepositoryPaths.loghub.path)")
        try await OwnThread.run {
            var generator = SeededGenerator(seed: 19)
            for file in files {
                var lines = try TemplatedBlockTests.lines(of: file)
                lines[700] += Array(" tribneedle42".utf8)
                lines[1500] += Array(" user=tribneedle42".utf8)
                let path = BlockTests.temporaryFile()
                defer { unlink(path) }
                try BlockWriter.write(TemplatedBlockTests.records(lines), to: path, level: .smallest, templated: true)
                let reader = try BlockReader(path: path)
                let all = Set(lines)
                for needle in Self.needles(from: lines, generator: &generator) {
                    let bytes = Array(needle.utf8)
                    let expected = lines.filter { $0.firstRange(of: bytes) != nil }
                    let candidates = try Self.candidates(reader, [needle])
                    #expect(candidates.allSatisfy(all.contains), "\(file.lastPathComponent) \(needle): a rebuilt line differs from the input")
                    let found = candidates.filter { $0.firstRange(of: bytes) != nil }
                    // Compared apart: a failure names the needle instead of printing every line as bytes.
                    let same = found == expected
                    #expect(same, "\(file.lastPathComponent) «\(needle)»: \(found.count) found, \(expected.count) expected")
                }
                // Two needles at once: a line must hold both.
                let both = lines.filter { $0.firstRange(of: Array("tribneedle42".utf8)) != nil && $0.firstRange(of: Array("user".utf8)) != nil }
                let candidates = try Self.candidates(reader, ["tribneedle42", "user"])
                #expect(candidates.filter { both.contains($0) } == both, "\(file.lastPathComponent): two needles")
                #expect(candidates.count <= 2, "\(file.lastPathComponent): \(candidates.count) lines rebuilt for a rare token")
            }
        }
    }

    /// A word that lies in no template, dictionary string or number leaves
    /// every templated line unread: nothing is rebuilt.
    @Test func anAbsentWordRebuildsNothing() async throws {
        try await OwnThread.run {
            let lines = try TemplatedBlockTests.lines(of: RepositoryPaths.loghub.appendingPathComponent("HDFS_2k.log"))
            let path = BlockTests.temporaryFile()
            defer { unlink(path) }
            try BlockWriter.write(TemplatedBlockTests.records(lines), to: path, level: .smallest, templated: true)
            let reader = try BlockReader(path: path)
            #expect(try Self.candidates(reader, ["tribneedle42"]).isEmpty)
            // Digits and dots only: numbers are formatted and searched, and found.
            let expected = lines.filter { $0.firstRange(of: Array("10.251.".utf8)) != nil }
            #expect(!expected.isEmpty)
            #expect(try Self.candidates(reader, ["10.251."]).filter { $0.firstRange(of: Array("10.251.".utf8)) != nil } == expected)
        }
    }
}
