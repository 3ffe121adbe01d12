import Foundation
import Logging
import NIOCore
import Synchronization
import TributaryModel

/// Records that no node will ever take, kept on the agent's disk instead of
/// silently dropped: `<state_dir>/dead-letter.jsonl`, one JSON object a
/// line with when, why, and the whole record (its message as UTF-8 text,
/// plus `message_base64` when the bytes are not UTF-8, so nothing is lost).
///
/// Only the refused records land here: a batch a node refuses for good is
/// split and resent until each bad record stands alone (see `Forwarder`).
/// The file is capped at `maxBytes`; past it, it is renamed
/// `dead-letter.jsonl.1` (replacing an older one) and a new one begun, so
/// a sender that produces nothing but bad records cannot fill the disk.
public final class DeadLetterFile: Sendable {
    struct Entry: Encodable {
        var deadLetteredAt: String
        var reason: String
        var kind: String
        var timestamp: String
        var timestampNanoseconds: Int64
        var labels: [String: String]
        var severity: String?
        var message: String
        var messageBase64: String?
        var fields: [String: String]?

        enum CodingKeys: String, CodingKey {
            case deadLetteredAt = "dead_lettered_at", reason, kind, timestamp, timestampNanoseconds = "timestamp_ns", labels, severity
            case message, messageBase64 = "message_base64", fields
        }
    }

    public let path: String
    public let maxBytes: Int
    private let logger: Logger
    private let lock = Mutex(())

    public init(stateDirectory: String, maxBytes: Int, logger: Logger) {
        self.path = stateDirectory + "/dead-letter.jsonl"
        self.maxBytes = maxBytes
        self.logger = logger
    }

    /// Appends the records (synced). Returns false if they could not be
    /// written; the caller counts them as lost then.
    @discardableResult
    public func append(_ records: [Record], reason: String) -> Bool {
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for record in records {
            guard let line = try? encoder.encode(Self.entry(record, reason: reason, now: now)) else { continue }
            data.append(line)
            data.append(UInt8(ascii: "\n"))
        }
        return lock.withLock { _ in
            if let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int), size + data.count > maxBytes {
                _ = rename(path, path + ".1")
                logger.warning("dead-letter file \(path) reached \(maxBytes) bytes: moved to \(path).1 (an older one there is replaced)")
            }
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                logger.error("cannot open the dead-letter file \(path): \(String(cString: strerror(errno)))")
                return false
            }
            defer { close(descriptor) }
            let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == data.count, fsync(descriptor) == 0 else {
                logger.error("cannot write the dead-letter file \(path): \(String(cString: strerror(errno)))")
                return false
            }
            return true
        }
    }

    static func entry(_ record: Record, reason: String, now: Int64) -> Entry {
        let labels = Dictionary(record.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        func text(_ bytes: ByteBuffer) -> (String, String?) {
            let raw = Array(bytes.readableBytesView)
            if let valid = String(validating: raw, as: UTF8.self) { return (valid, nil) }
            return (String(decoding: raw, as: UTF8.self), Data(raw).base64EncodedString())
        }
        var entry = Entry(deadLetteredAt: CivilTime.rfc3339(nanoseconds: now), reason: reason, kind: "", timestamp: CivilTime.rfc3339(nanoseconds: record.timestamp),
                          timestampNanoseconds: record.timestamp, labels: labels, message: "")
        switch record {
        case .log(let log):
            entry.kind = "log"
            entry.severity = "\(log.severity)"
            (entry.message, entry.messageBase64) = text(log.message)
            entry.fields = Dictionary(log.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        case .metric(let sample):
            entry.kind = "metric"
            entry.message = "\(sample.name) \(sample.value)"
        case .event(let event):
            entry.kind = "event"
            (entry.message, entry.messageBase64) = text(event.message)
            entry.fields = ["type": event.type]
        }
        return entry
    }
}
