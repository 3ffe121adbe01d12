import Foundation
import Testing
import TributaryDurability

@Suite struct DurableFileTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func replaceWritesTheWholeFileAndLeavesNoTemporary() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/state"
        try DurableFile.replace(path, withText: "one\n")
        try DurableFile.replace(path, withText: "two\n")
        #expect(try DurableFile.readIfPresent(path) == Array("two\n".utf8))
        #expect(try DurableFile.list(directory) == ["state"])
    }

    @Test func aMissingFileIsNilButAnUnreadableOneThrows() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try DurableFile.readIfPresent(directory + "/absent") == nil)
        // A directory where a file is expected: open works, read fails (EISDIR).
        try FileManager.default.createDirectory(atPath: directory + "/dir", withIntermediateDirectories: false)
        #expect(throws: DurabilityError.self) { try DurableFile.readIfPresent(directory + "/dir") }
        // Too large for what the caller expects.
        try DurableFile.replace(directory + "/big", with: [UInt8](repeating: 1, count: 100))
        #expect(throws: DurabilityError.self) { try DurableFile.readIfPresent(directory + "/big", maxBytes: 10) }
    }

    @Test func aFailedReplaceNamesThePathAndKeepsTheOldContents() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/state"
        try DurableFile.replace(path, withText: "kept\n")
        // The temporary name is taken by a directory: creating it fails.
        try FileManager.default.createDirectory(atPath: path + ".tmp", withIntermediateDirectories: false)
        #expect { try DurableFile.replace(path, withText: "new\n") } throws: { error in
            "\(error)".contains(path + ".tmp")
        }
        #expect(try DurableFile.readIfPresent(path) == Array("kept\n".utf8))
    }

    @Test func listingAMissingDirectoryThrowsInsteadOfAnsweringEmpty() {
        #expect(throws: DurabilityError.self) { try DurableFile.list("/nonexistent-\(UUID().uuidString)") }
    }
}
