import Foundation
import NIOCore
import TributaryWire

/// `<data_dir>/checkpoint`: every write-ahead-log record up to `walThrough`
/// is in blocks, so the log before it may be deleted, plus the owner's
/// state as of then (the node keeps which batches it has stored, so that
/// duplicates are still recognised after their log records are gone).
///
/// ```
/// checkpoint := "TCKP" u32 | version u32 = 1 | wal through u64 | bytes state | CRC32C u32 of all before
/// ```
/// Written to `checkpoint.tmp`, synced, renamed, directory synced: a crash
/// leaves the old or the new checkpoint, never a mix.
public struct StorageCheckpoint: Sendable, Equatable {
    public var walThrough: UInt64
    public var state: ByteBuffer

    public init(walThrough: UInt64, state: ByteBuffer) {
        self.walThrough = walThrough
        self.state = state
    }

    static let magic: UInt32 = 0x5443_4B50
    public static let fileName = "checkpoint"

    /// The checkpoint in `directory`, nil if there is none yet.
    public static func read(directory: String) throws(StorageError) -> StorageCheckpoint? {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw .io(path: path, operation: "reading", errno: EIO) }
            return nil
        }
        var buffer = ByteBuffer(bytes: data)
        guard buffer.readableBytes >= 20,
              let magic = buffer.readInteger(as: UInt32.self), magic == Self.magic,
              buffer.readInteger(as: UInt32.self) == 1 else {
            throw .corruptCheckpoint(path: path, detail: "not a version-1 checkpoint")
        }
        let stored = buffer.getInteger(at: buffer.writerIndex - 4, as: UInt32.self)!
        let computed = data.prefix(data.count - 4).withUnsafeBytes { CRC32C.checksum($0) }
        guard stored == computed else { throw .corruptCheckpoint(path: path, detail: "checksum mismatch") }
        guard let through = buffer.readInteger(as: UInt64.self),
              let state = try? buffer.readWireBytes(limit: 1 << 30) else {
            throw .corruptCheckpoint(path: path, detail: "truncated")
        }
        return StorageCheckpoint(walThrough: through, state: state)
    }

    public func write(directory: String) throws(StorageError) {
        var buffer = ByteBuffer()
        buffer.writeInteger(Self.magic)
        buffer.writeInteger(UInt32(1))
        buffer.writeInteger(walThrough)
        buffer.writeWireBytes(state)
        let checksum = buffer.withUnsafeReadableBytes { CRC32C.checksum($0) }
        buffer.writeInteger(checksum)
        try AtomicFile.write(buffer, to: directory + "/" + Self.fileName)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
