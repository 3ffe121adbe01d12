import Foundation
import NIOCore

/// Replaces a small file all at once: write `<path>.tmp`, sync it, rename it
/// over `path`, sync the directory.
enum AtomicFile {
    static func write(_ buffer: ByteBuffer, to path: String) throws(StorageError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        let file = try SegmentFile(path: temporary, create: true)
        try file.append(buffer)
        try file.sync()
        guard rename(temporary, path) == 0 else { throw SegmentFile.error(path, "renaming into", errno) }
        try SegmentFile.syncDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
