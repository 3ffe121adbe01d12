import NIOCore
import TributaryDurability

/// Replaces a small file all at once (`DurableFile.replace`), with the
/// storage's errors: a full disk is `.diskFull`, so writers answer BUSY.
enum AtomicFile {
    static func write(_ buffer: ByteBuffer, to path: String) throws(StorageError) {
        do {
            try DurableFile.replace(path, with: Array(buffer.readableBytesView))
        } catch {
            throw SegmentFile.error(error.path, error.operation, error.errno)
        }
    }
}
