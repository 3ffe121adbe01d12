import Foundation
import Testing
@testable import TributaryAlerting

@Suite struct NotificationOutboxTests {
    func directory() -> String {
        let path = NSTemporaryDirectory() + "outbox-" + UUID().uuidString
        return path
    }

    @Test func notificationsSurviveReopeningInOrder() async throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let outbox = try NotificationOutbox(directory: path)
            try await outbox.append(Array("first".utf8))
            try await outbox.append(Array("second".utf8))
            try await outbox.append(Array("third".utf8))
            let oldest = try #require(await outbox.oldest())
            #expect(oldest.body == Array("first".utf8))
            await outbox.remove(oldest.sequence)
        }
        // A crash mid-write leaves a temporary file: not a notification.
        try Array("half".utf8).withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: path + "/00000000000000000009.json.tmp")) }
        let reopened = try NotificationOutbox(directory: path)
        #expect(await reopened.count == 2)
        let next = try #require(await reopened.oldest())
        #expect(next.body == Array("second".utf8))
        await reopened.remove(next.sequence)
        try await reopened.append(Array("fourth".utf8))
        var bodies: [String] = []
        while let entry = await reopened.oldest() {
            bodies.append(String(decoding: entry.body, as: UTF8.self))
            await reopened.remove(entry.sequence)
        }
        #expect(bodies == ["third", "fourth"])
        #expect(!FileManager.default.fileExists(atPath: path + "/00000000000000000009.json.tmp"))
    }

    @Test func anUnreadableEntryIsDroppedInsteadOfBlockingTheQueue() async throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outbox = try NotificationOutbox(directory: path, maxEntries: 10, maxBytes: 64 << 10)
        try await outbox.append(Array("small".utf8))
        try await outbox.append(Array("after".utf8))
        // The first file grew beyond what the outbox reads (or was replaced by something else).
        try Data(repeating: 65, count: 128 << 10).write(to: URL(fileURLWithPath: path + "/00000000000000000001.json"))
        #expect(await outbox.oldest()?.body == Array("after".utf8))
        #expect(await outbox.dropped == 1)
    }

    @Test func boundedByEntriesAndBytesDroppingTheOldest() async throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outbox = try NotificationOutbox(directory: path, maxEntries: 3, maxBytes: 1 << 20)
        for index in 1...5 { try await outbox.append(Array("n\(index)".utf8)) }
        #expect(await outbox.count == 3)
        #expect(await outbox.dropped == 2)
        #expect(await outbox.oldest()?.body == Array("n3".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).count == 3)

        let bytes = try NotificationOutbox(directory: directory(), maxEntries: 100, maxBytes: 10)
        try await bytes.append(Array(repeating: 65, count: 6))
        #expect(try await bytes.append(Array(repeating: 66, count: 6)) == 1)
        #expect(await bytes.byteCount == 6)
    }
}
