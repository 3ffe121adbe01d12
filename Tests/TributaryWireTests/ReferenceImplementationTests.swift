import Foundation
import NIOCore
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

/// `proto/reference/tribwire.py` was written from `proto/PROTOCOL.md` alone;
/// these tests make it and our codec check each other.
@Suite struct ReferenceImplementationTests {
    static let script = RepositoryPaths.root.appendingPathComponent("proto/reference/tribwire.py")

    static func python() throws -> URL {
        try #require(ProcessResult.which("python3"), "python3 is needed for the reference implementation")
    }

    @Test func theReferenceImplementationPassesTheGoldenVectors() throws {
        let result = try ProcessResult.run(try Self.python(), [Self.script.path, "check", RepositoryPaths.protocolVectors.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" 0 failed"))
    }

    @Test func theReferenceImplementationDecodesAndReencodesOurFrames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-vectors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("invalid"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var frames: [Frame] = GoldenFrames.frames.values.map { $0 }
        var random = RandomRecords(seed: 11)
        for seed in 0..<20 {
            let encoder = BatchEncoder(compression: seed % 2 == 0 ? .fastest : nil)
            frames.append(.batch(try encoder.encode(random.records(count: 50), agentID: "agent-\(seed)", sequence: UInt64(seed + 1))))
        }
        for (index, frame) in frames.enumerated() {
            let hex = frame.encoded().readableBytesView.map { String(format: "%02x", $0) }.joined()
            try "# frame \(index) written by the Swift codec\n\(hex)\n".write(
                to: directory.appendingPathComponent(String(format: "%03d.hex", index)), atomically: true, encoding: .utf8)
        }
        let result = try ProcessResult.run(try Self.python(), [Self.script.path, "check", directory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\(frames.count) passed, 0 failed"), "\(result.stdout)")
    }
}
