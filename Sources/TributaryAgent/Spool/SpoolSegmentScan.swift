import Foundation
import TributaryWire

/// Reads one segment file and checks every entry: what is intact, and
/// where (and why) the first damage starts.
struct SpoolSegmentScan {
    enum Damage: Equatable {
        /// The last entry runs past the end of the file: a write cut short by a crash.
        case tornTail
        case corrupt(String)
    }

    var entries: [SpoolEntry] = []
    /// Bytes up to the end of the last intact entry.
    var intactBytes = 0
    var damage: Damage?

    init(path: String, firstSequence: UInt64) throws(SpoolError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .readFailed(path: path, reason: (error as NSError).localizedDescription)
        }
        let bytes = [UInt8](data)
        guard bytes.count >= SpoolFormat.headerBytes else {
            // Created but the header never reached the disk: nothing lost.
            damage = bytes.isEmpty ? nil : .tornTail
            return
        }
        guard Array(bytes[0..<4]) == SpoolFormat.magic, bytes[4] == SpoolFormat.version else {
            damage = .corrupt("not a spool segment (bad magic or version)")
            return
        }
        var offset = SpoolFormat.headerBytes
        intactBytes = offset
        while offset < bytes.count {
            guard bytes.count - offset >= 4 else { damage = .tornTail; return }
            let length = Int(Self.read32(bytes, offset))
            guard length >= SpoolFormat.entryOverhead - 4, length <= SpoolFormat.maxEntryBytes else {
                damage = .corrupt("entry at byte \(offset) claims \(length) bytes")
                return
            }
            guard bytes.count - offset - 4 >= length else { damage = .tornTail; return }
            let start = offset + 4
            let end = start + length
            let stored = Self.read32(bytes, end - 4)
            let computed = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<(end - 4)])) }
            guard stored == computed else {
                damage = .corrupt("entry at byte \(offset) fails its checksum")
                return
            }
            var cursor = start
            let sequence = Self.read64(bytes, cursor); cursor += 8
            let recordCount = Int(Self.read32(bytes, cursor)); cursor += 4
            let rawLength = Int(Self.read32(bytes, cursor)); cursor += 4
            let flags = bytes[cursor]; cursor += 1
            let positionCount = Int(Self.read16(bytes, cursor)); cursor += 2
            guard cursor + positionCount * SpoolFormat.positionBytes + 4 <= end - 4 else {
                damage = .corrupt("entry at byte \(offset) has an impossible position count")
                return
            }
            var positions: [FilePosition] = []
            positions.reserveCapacity(positionCount)
            for _ in 0..<positionCount {
                let identity = FileIdentity(device: Self.read64(bytes, cursor), inode: Self.read64(bytes, cursor + 8),
                                            fingerprint: Self.read32(bytes, cursor + 16), fingerprintLength: Self.read16(bytes, cursor + 20))
                positions.append(FilePosition(file: identity, offset: Self.read64(bytes, cursor + 22)))
                cursor += SpoolFormat.positionBytes
            }
            let bodyLength = Int(Self.read32(bytes, cursor)); cursor += 4
            guard cursor + bodyLength == end - 4, sequence > 0, recordCount > 0 else {
                damage = .corrupt("entry at byte \(offset) has inconsistent lengths")
                return
            }
            entries.append(SpoolEntry(sequence: sequence, recordCount: recordCount, rawLength: rawLength, isCompressed: flags & 1 != 0,
                                      positions: positions, segment: firstSequence, bodyOffset: cursor, bodyLength: bodyLength,
                                      entryBytes: length + 4))
            offset = end
            intactBytes = offset
        }
    }

    static func read16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
    }

    static func read32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in at..<(at + 4) { value = value << 8 | UInt32(bytes[index]) }
        return value
    }

    static func read64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in at..<(at + 8) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }
}
