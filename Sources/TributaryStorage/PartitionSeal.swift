import Foundation
import NIOCore

/// `SEAL` in a sealed partition: the flush cycles merged into the sealed
/// blocks, the number of records, and the SHA-256 of the sealed blocks
/// (`sl-…` then `sm-…`), which is equal on every replica holding the same
/// records. Text, one `key value` per line; written atomically.
public struct PartitionSeal: Sendable, Equatable {
    static let fileName = "SEAL"

    public let through: UInt64
    public let records: Int
    public let digest: String

    static func read(directory: String) throws(StorageError) -> PartitionSeal {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, operation: "reading", errno: EIO)
        }
        var values: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let through = values["through"].flatMap({ UInt64($0, radix: 16) }),
              let records = values["records"].flatMap({ Int($0) }),
              let digest = values["sha256"], digest.count == 64 else {
            throw .corruptCheckpoint(path: path, detail: "a SEAL file needs through, records and sha256 lines")
        }
        return PartitionSeal(through: through, records: records, digest: digest)
    }

    func write(directory: String) throws(StorageError) {
        let text = "through \(String(through, radix: 16))\nrecords \(records)\nsha256 \(digest)\n"
        try AtomicFile.write(ByteBuffer(string: text), to: directory + "/" + Self.fileName)
    }
}
