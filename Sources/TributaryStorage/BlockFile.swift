import NIOCore
import TributaryWire

/// An open block file read with `pread`: its size, byte ranges, and the
/// index located by the footer every block kind ends with:
/// `u64 index offset | u32 index length | u32 CRC32C of the index | magic u32`,
/// after a header of `magic u32 | version u32 = 1`.
final class BlockFile {
    let path: String
    let size: Int
    let inode: UInt64
    /// Nanoseconds since the epoch.
    let modified: Int64
    private let descriptor: Int32

    init(path: String) throws(BlockError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, detail: String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw .io(path: path, detail: String(cString: strerror(code)))
        }
        self.path = path
        self.size = Int(status.st_size)
        self.inode = UInt64(status.st_ino)
        self.modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    func read(at offset: Int, length: Int) throws(BlockError) -> ByteBuffer {
        var buffer = ByteBuffer()
        var failure: Int32 = 0
        let descriptor = self.descriptor
        let done = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: max(length, 1)) { bytes in
            var done = 0
            while done < length {
                let count = pread(descriptor, bytes.baseAddress! + done, length - done, off_t(offset + done))
                if count < 0 && errno == EINTR { continue }
                if count < 0 { failure = errno }
                if count <= 0 { break }
                done += count
            }
            return done
        }
        guard done == length else {
            let reason = failure == 0 ? "the file ends first (truncated?)" : String(cString: strerror(failure))
            throw .corrupt(path: path, detail: "cannot read \(length) bytes at offset \(offset): \(reason)")
        }
        return buffer
    }

    /// The checked index bytes, and where they start (where the data ends).
    /// `versions`: the header versions this kind of block may have.
    func index(magic: UInt32, footerMagic: UInt32, versions: ClosedRange<UInt32> = 1...1) throws(BlockError) -> (ByteBuffer, dataEnd: Int) {
        let footer = StorageFileNames.blockFooterBytes
        guard size >= 8 + footer else {
            throw .corrupt(path: path, detail: "only \(size) bytes: not a complete block")
        }
        let header = try read(at: 0, length: 8)
        let tail = try read(at: size - footer, length: footer)
        guard header.getInteger(at: 0, as: UInt32.self) == magic,
              tail.getInteger(at: footer - 4, as: UInt32.self) == footerMagic
        else {
            throw .corrupt(path: path, detail: "not a complete block (header or footer missing)")
        }
        guard let version = header.getInteger(at: 4, as: UInt32.self), versions.contains(version) else {
            throw .corrupt(path: path, detail: "block version \(header.getInteger(at: 4, as: UInt32.self) ?? 0) is not one this build reads "
                + "(\(versions.lowerBound)–\(versions.upperBound)): written by a newer Tributary?")
        }
        let indexOffset = Int(truncatingIfNeeded: tail.getInteger(at: 0, as: UInt64.self)!)
        let indexLength = Int(tail.getInteger(at: 8, as: UInt32.self)!)
        let indexChecksum = tail.getInteger(at: 12, as: UInt32.self)!
        guard indexOffset >= 8, indexOffset + indexLength == size - footer else {
            throw .corrupt(path: path, detail: "the footer points outside the file")
        }
        let index = try read(at: indexOffset, length: indexLength)
        guard index.withUnsafeReadableBytes({ CRC32C.checksum($0) }) == indexChecksum else {
            throw .corrupt(path: path, detail: "the index fails its checksum")
        }
        return (index, indexOffset)
    }
}

@available(*, unavailable)
extension BlockFile: Sendable {}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
