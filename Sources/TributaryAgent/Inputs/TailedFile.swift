import Foundation
import NIOCore
import TributaryWire

/// One open file of a file input: where it was read to, which records were
/// handed on (`consumed`), and the unfinished line or multiline record.
///
/// `consumed` only moves past bytes that became records, so a checkpoint
/// never skips a half-read line or an unfinished stack trace.
final class TailedFile {
    static let fingerprintBytes = 256

    var path: String
    let descriptor: Int32
    let device: UInt64
    let inode: UInt64
    var identity: FileIdentity
    /// Bytes read from the file so far.
    var readOffset: UInt64
    /// Bytes turned into records (the checkpoint candidate).
    var consumed: UInt64
    /// An incomplete line carried to the next read.
    var partial = ByteBuffer()
    /// Parts already delivered of a line longer than max_line_bytes.
    var splitParts = 0
    /// The multiline record being built.
    var pendingRecord: ByteBuffer?
    var pendingLines = 0
    var pendingEnd: UInt64 = 0
    var pendingSince: ContinuousClock.Instant = .now
    /// Docker: pieces of a line Docker split at 16 KiB.
    var dockerPartial: String?
    /// Set when the path no longer leads to this file.
    var rotatedAt: ContinuousClock.Instant?
    /// A checksum of the first bytes read so far (up to 256), checked
    /// before every read: copytruncate followed by new writes past our
    /// offset changes them even though the size never shrank.
    var probeLength = 0
    var probeChecksum: UInt32 = 0
    /// Truncated to nothing: the identity is taken once data arrives.
    var identityPending = false
    var lastGrowth: ContinuousClock.Instant = .now

    init(path: String, descriptor: Int32, device: UInt64, inode: UInt64, identity: FileIdentity, offset: UInt64) {
        self.path = path
        self.descriptor = descriptor
        self.device = device
        self.inode = inode
        self.identity = identity
        self.readOffset = offset
        self.consumed = offset
    }

    deinit {
        close(descriptor)
    }

    var position: FilePosition { FilePosition(file: identity, offset: consumed) }

    /// CRC32C of the first `length` bytes, or nil if the file is shorter.
    static func fingerprint(_ descriptor: Int32, length: Int) -> UInt32? {
        guard length > 0 else { return 0 }
        var bytes = [UInt8](repeating: 0, count: length)
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, 0) }
        guard read == length else { return nil }
        return CRC32C.checksum(bytes)
    }

    /// The identity of an open file: its device, inode and the checksum of
    /// its first (up to 256) bytes.
    static func identity(_ descriptor: Int32, device: UInt64, inode: UInt64, size: UInt64) -> FileIdentity? {
        let length = Int(min(size, UInt64(fingerprintBytes)))
        guard let fingerprint = fingerprint(descriptor, length: length) else { return nil }
        return FileIdentity(device: device, inode: inode, fingerprint: fingerprint, fingerprintLength: UInt16(length))
    }
}
