import Foundation
import TributaryDurability

/// A receiver's queue of notifications on disk, so that nothing the rules
/// raised is lost while the receiver is down or the node restarts.
///
/// Layout: one directory per receiver, one file per notification named by
/// a 20-digit sequence number (`00000000000000000042.json`), holding the
/// exact request body. `append` writes the file durably (`DurableFile`:
/// temporary file, fsync, rename, directory fsync) before returning; the
/// sender posts the oldest file and removes it only after the receiver
/// answered 2xx (or refused it for good with 4xx), so delivery is at least
/// once and in order. A crash between the answer and the removal re-sends
/// one notification; receivers (Alertmanager included) take that as a
/// repeat, not a new alert.
///
/// Bounded: beyond `maxEntries` files or `maxBytes` bytes the oldest are
/// dropped (and counted), so a receiver gone for days cannot fill the disk.
public actor NotificationOutbox {
    public let directory: String
    public let maxEntries: Int
    public let maxBytes: Int
    /// Sequence numbers and sizes of the files, oldest first.
    private var entries: [(sequence: UInt64, bytes: Int)] = []
    private var nextSequence: UInt64 = 1
    /// Notifications dropped because the outbox was full.
    public private(set) var dropped = 0

    /// Opens (creating) `directory` and finds the notifications left there.
    public init(directory: String, maxEntries: Int = 10_000, maxBytes: Int = 64 << 20) throws {
        self.directory = directory
        self.maxEntries = max(1, maxEntries)
        self.maxBytes = max(1, maxBytes)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var found: [(UInt64, Int)] = []
        for name in try DurableFile.list(directory) {
            if name.hasSuffix(".tmp") {
                // A write cut by a crash: it was never acknowledged as queued.
                unlink(directory + "/" + name)
                continue
            }
            guard name.hasSuffix(".json"), let sequence = UInt64(name.dropLast(5)) else { continue }
            let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? 0
            found.append((sequence, size))
        }
        entries = found.sorted { $0.0 < $1.0 }.map { (sequence: $0.0, bytes: $0.1) }
        nextSequence = (entries.last?.sequence ?? 0) + 1
    }

    public var count: Int { entries.count }
    public var byteCount: Int { entries.reduce(0) { $0 + $1.bytes } }

    /// Queues `body` durably; returns how many old notifications were
    /// dropped to make room.
    @discardableResult
    public func append(_ body: [UInt8]) throws -> Int {
        let sequence = nextSequence
        nextSequence += 1
        try DurableFile.replace(path(sequence), with: body, mode: 0o600)
        entries.append((sequence, body.count))
        var droppedNow = 0
        var total = byteCount
        while entries.count > 1, entries.count > maxEntries || total > maxBytes {
            let oldest = entries.removeFirst()
            total -= oldest.bytes
            unlink(path(oldest.sequence))
            droppedNow += 1
        }
        dropped += droppedNow
        return droppedNow
    }

    /// The oldest notification: its sequence number and body. A file that
    /// cannot be read (larger than `maxBytes`, unreadable) is dropped and
    /// counted rather than blocking every notification behind it.
    public func oldest() -> (sequence: UInt64, body: [UInt8])? {
        while let first = entries.first {
            do {
                if let body = try DurableFile.readIfPresent(path(first.sequence), maxBytes: maxBytes) {
                    return (first.sequence, body)
                }
            } catch {
                unlink(path(first.sequence))
                dropped += 1
            }
            entries.removeFirst()
        }
        return nil
    }

    /// Removes a delivered notification.
    public func remove(_ sequence: UInt64) {
        entries.removeAll { $0.sequence == sequence }
        unlink(path(sequence))
    }

    private func path(_ sequence: UInt64) -> String {
        let digits = String(sequence)
        return directory + "/" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".json"
    }
}
