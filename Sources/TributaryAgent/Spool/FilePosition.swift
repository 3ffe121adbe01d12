/// Which file (device, inode, and a checksum of its first bytes) and how
/// far into it the agent has read. The fingerprint tells a rotated-in file
/// that reuses an old inode apart from the file that had it.
public struct FileIdentity: Hashable, Sendable, Codable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    /// CRC32C of the first `fingerprintLength` bytes.
    public var fingerprint: UInt32
    public var fingerprintLength: UInt16

    public init(device: UInt64, inode: UInt64, fingerprint: UInt32, fingerprintLength: UInt16) {
        self.device = device
        self.inode = inode
        self.fingerprint = fingerprint
        self.fingerprintLength = fingerprintLength
    }

    public var description: String { "dev \(device) inode \(inode) fingerprint \(fingerprint)/\(fingerprintLength)" }
}

public struct FilePosition: Hashable, Sendable, Codable {
    public var file: FileIdentity
    /// Bytes consumed: the next read starts here.
    public var offset: UInt64

    public init(file: FileIdentity, offset: UInt64) {
        self.file = file
        self.offset = offset
    }
}
