/// Every on-disk name and magic number of the storage layer, in one place.
public enum StorageFileNames {
    /// `wal-<first sequence, 16 hex digits>.log`
    static let walPrefix = "wal-"
    static let walSuffix = ".log"
    /// A segment found corrupt in the middle of the log is renamed with this
    /// suffix and kept for inspection, never deleted automatically.
    static let corruptSuffix = ".corrupt"

    /// "TWAL" and format version 1.
    static let walMagic: UInt32 = 0x5457_414C
    static let walVersion: UInt32 = 1
    static let walHeaderBytes = 8
    /// length u32, CRC32C u32, sequence u64.
    static let walRecordHeaderBytes = 16

    /// Block files: "TBLK", version 1; the footer ends with "KLBT".
    static let blockMagic: UInt32 = 0x5442_4C4B
    static let blockVersion: UInt32 = 1
    static let blockFooterMagic: UInt32 = 0x4B4C_4254
    /// Blocks whose log chunks may store messages as templates and columns
    /// (chunk mode 2, `TemplatedTextWriter`) have version 2 in their header;
    /// readers take both versions.
    static let templatedBlockVersion: UInt32 = 2
    /// Blocks whose log chunks store messages as templates and value columns
    /// (chunk mode 3, `TemplateColumnsWriter`): what sealed log blocks are
    /// written as now; readers take versions 1 to 3.
    static let columnsBlockVersion: UInt32 = 3
    /// index offset u64, index length u32, index CRC32C u32, magic u32.
    static let blockFooterBytes = 20
    static let blockSuffix = ".tblk"

    static func walSegment(firstSequence: UInt64) -> String {
        let hex = String(firstSequence, radix: 16)
        return walPrefix + String(repeating: "0", count: max(0, 16 - hex.count)) + hex + walSuffix
    }

    /// The first sequence a segment name claims, or nil for other files.
    static func walFirstSequence(_ name: String) -> UInt64? {
        guard name.hasPrefix(walPrefix), name.hasSuffix(walSuffix) else { return nil }
        return UInt64(name.dropFirst(walPrefix.count).dropLast(walSuffix.count), radix: 16)
    }

    /// Whether the block file at `path` is a sealed one (`sl-…`, `sm-…`).
    public static func isSealedBlock(_ path: String) -> Bool {
        let name = path.split(separator: "/").last ?? ""
        return name.hasPrefix("sl-") || name.hasPrefix("sm-")
    }
}
