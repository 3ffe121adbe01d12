import Foundation
import TributaryDurability

/// The files of one partition directory, parsed from their names.
///
/// - `b-<cycle>.tblk`: the batch bodies (as received) written by the flush
///   that covered the write-ahead log up to `cycle` (16 hex digits).
/// - `l-<cycle>.tblk`, `m-<cycle>.tblk`: log and metric blocks of a flush
///   of records that came without a batch body (read like sealed blocks).
/// - `sl-<through>.tblk`, `sm-<through>.tblk`: the sealed blocks, merging
///   every flush block up to `through`.
/// - `SEAL`: which sealed blocks are current, and their digest.
/// - `*.corrupt`: quarantined blocks, kept for inspection.
/// - `*.tmp`: a write a crash interrupted; removed at start-up.
struct PartitionFiles {
    enum Kind: Equatable { case logs, metrics, batches }

    struct Block: Equatable {
        let name: String
        let kind: Kind
        /// The flush cycle, or the `through` of a sealed block.
        let sequence: UInt64
        let sealed: Bool
    }

    var blocks: [Block] = []
    var temporaries: [String] = []
    var quarantined: [String] = []
    var hasSeal = false

    init(directory: String) throws(StorageError) {
        let names: [String]
        do {
            names = try DurableFile.list(directory)
        } catch {
            throw .io(path: directory, operation: "listing", errno: error.errno)
        }
        for name in names.sorted() {
            if name.hasSuffix(".tmp") {
                temporaries.append(name)
            } else if name.hasSuffix(StorageFileNames.corruptSuffix) {
                quarantined.append(name)
            } else if name == PartitionSeal.fileName {
                hasSeal = true
            } else if let block = Self.parse(name) {
                blocks.append(block)
            }
        }
    }

    static func parse(_ name: String) -> Block? {
        guard name.hasSuffix(StorageFileNames.blockSuffix) else { return nil }
        let stem = name.dropLast(StorageFileNames.blockSuffix.count)
        guard let dash = stem.firstIndex(of: "-"), let sequence = UInt64(stem[stem.index(after: dash)...], radix: 16) else { return nil }
        switch stem[..<dash] {
        case "l": return Block(name: name, kind: .logs, sequence: sequence, sealed: false)
        case "b": return Block(name: name, kind: .batches, sequence: sequence, sealed: false)
        case "m": return Block(name: name, kind: .metrics, sequence: sequence, sealed: false)
        case "sl": return Block(name: name, kind: .logs, sequence: sequence, sealed: true)
        case "sm": return Block(name: name, kind: .metrics, sequence: sequence, sealed: true)
        default: return nil
        }
    }

    static func name(kind: Kind, sequence: UInt64, sealed: Bool) -> String {
        let hex = String(sequence, radix: 16)
        let letter = kind == .logs ? "l" : kind == .metrics ? "m" : "b"
        let prefix = (sealed ? "s" : "") + letter
        return prefix + "-" + String(repeating: "0", count: max(0, 16 - hex.count)) + hex + StorageFileNames.blockSuffix
    }
}
