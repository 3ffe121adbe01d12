import Foundation
import NIOCore
import Testing
import TributaryStorage

@Suite struct StorageCheckpointTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trib-checkpoint-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func state() -> ByteBuffer {
        var state = ByteBuffer(string: "batches stored: ")
        for index in 0..<64 { state.writeInteger(UInt64(index) &* 0x9E37_79B9_7F4A_7C15) }
        return state
    }

    /// Reading `directory`'s checkpoint fails with `corruptCheckpoint` naming `path`.
    static func expectCorrupt(directory: String, path: String, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: StorageError.self, comment, sourceLocation: sourceLocation) {
            try StorageCheckpoint.read(directory: directory)
        }
        guard let error else { return }
        if case .corruptCheckpoint(let errorPath, _) = error {
            #expect(errorPath == path, comment, sourceLocation: sourceLocation)
        } else {
            Issue.record("\(comment): \(error) is not corruptCheckpoint", sourceLocation: sourceLocation)
        }
    }

    @Test func aWrittenCheckpointReadsBackEqual() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let checkpoint = StorageCheckpoint(walThrough: 0x0123_4567_89AB_CDEF, state: Self.state())
        try checkpoint.write(directory: directory)
        #expect(try StorageCheckpoint.read(directory: directory) == checkpoint)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [StorageCheckpoint.fileName], "no .tmp is left behind")

        let empty = StorageCheckpoint(walThrough: 0, state: ByteBuffer())
        try empty.write(directory: directory)
        #expect(try StorageCheckpoint.read(directory: directory) == empty, "a rewrite replaces the whole file")

        let later = StorageCheckpoint(walThrough: 7, state: ByteBuffer(string: "x"))
        try later.write(directory: directory)
        #expect(try StorageCheckpoint.read(directory: directory) == later)
    }

    @Test func aMissingCheckpointReadsAsNil() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try StorageCheckpoint.read(directory: directory) == nil)
        #expect(try StorageCheckpoint.read(directory: directory + "/does-not-exist") == nil)
    }

    @Test func everyFlippedByteIsRefusedAsACorruptCheckpoint() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + StorageCheckpoint.fileName
        try StorageCheckpoint(walThrough: 1_000, state: ByteBuffer(string: "state")).write(directory: directory)
        let original = try #require(FileManager.default.contents(atPath: path))
        #expect(original.count == 4 + 4 + 8 + 1 + 5 + 4)

        for position in original.indices {
            var damaged = original
            damaged[position] ^= 0x10
            try damaged.write(to: URL(fileURLWithPath: path))
            Self.expectCorrupt(directory: directory, path: path, "byte \(position) flipped")
        }

        // The walThrough field, with the checksum left as it was.
        var through = original
        through[15] ^= 0x01
        try through.write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.corruptCheckpoint(path: path, detail: "checksum mismatch")) {
            try StorageCheckpoint.read(directory: directory)
        }

        var magic = original
        magic[0] = UInt8(ascii: "X")
        try magic.write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.corruptCheckpoint(path: path, detail: "not a version-1 checkpoint")) {
            try StorageCheckpoint.read(directory: directory)
        }
    }

    @Test func aTruncatedOrEmptyCheckpointIsRefused() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + StorageCheckpoint.fileName
        try StorageCheckpoint(walThrough: 42, state: Self.state()).write(directory: directory)
        let original = try #require(FileManager.default.contents(atPath: path))
        for length in [0, 3, 19, 20, original.count / 2, original.count - 1] {
            try original.prefix(length).write(to: URL(fileURLWithPath: path))
            Self.expectCorrupt(directory: directory, path: path, "\(length) of \(original.count) bytes")
        }
    }
}
