#if canImport(Glibc)
import Glibc

/// The pages of the executable and its shared libraries that are clean
/// copies of their files, in this process's resident set.
///
/// Starting a Swift program touches code and read-only data that never run
/// again: the runtime's and Foundation's initialisation, the YAML parser,
/// relocation and symbol tables, the TLS handshake (OpenSSL's certificate
/// code), socket set-up, argument handling. The kernel maps each page
/// touched with up to 15 neighbours (fault-around, 64 KB), so a
/// long-running agent keeps most of that resident although its steady work
/// uses a small part of it. `release()` drops those pages from this
/// process (`MADV_DONTNEED`): they stay in the page cache, and whatever
/// runs afterwards faults its own pages back in.
///
/// Only mappings whose every page is a clean file page are advised: private,
/// not writable, of a regular file, with no anonymous (copied-on-write) or
/// swapped page — code and read-only data. For those, `MADV_DONTNEED` loses
/// nothing. Mappings written once at start (relocated data made read-only
/// afterwards, `RELRO`) hold anonymous pages and are left alone, as are
/// writable mappings, the vDSO and anything shared.
public enum LoadedCodePages {
    /// An address range of one mapping, and the file it maps.
    public struct Mapping: Equatable, Sendable {
        public var start: UInt
        public var end: UInt
        public var path: String
        /// Kilobytes resident when /proc was read.
        public var residentKB: Int

        public init(start: UInt, end: UInt, path: String, residentKB: Int) {
            self.start = start
            self.end = end
            self.path = path
            self.residentKB = residentKB
        }
    }

    /// Drops the clean file pages of every releasable mapping from this
    /// process; returns the bytes of address space advised (0 when /proc
    /// is not there). Never inlined: deploy/package/order-agent-code.sh
    /// starts its profile of the steady state at this call.
    @discardableResult @inline(never)
    public static func release() -> Int {
        var released = 0
        for mapping in releasable() {
            guard let address = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            if madvise(address, Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 {
                released += Int(mapping.end - mapping.start)
            }
        }
        return released
    }

    /// This process's releasable mappings (empty when /proc is not there).
    public static func releasable() -> [Mapping] {
        read("/proc/self/smaps").map { releasable(smaps: $0) } ?? []
    }

    /// The mappings of `smaps` (the text of `/proc/PID/smaps`) that hold
    /// only clean pages of a regular file and have some resident: mapped
    /// private and read-only (`r--p`, `r-xp`), with `Anonymous: 0 kB` and
    /// `Swap: 0 kB`. A mapping whose fields are missing or unreadable is
    /// not releasable.
    public static func releasable(smaps: String) -> [Mapping] {
        var result: [Mapping] = []
        var candidate: Mapping?
        var anonymousKB: Int?
        var swapKB: Int?
        func finish() {
            if let mapping = candidate, anonymousKB == 0, swapKB == 0, mapping.residentKB > 0 { result.append(mapping) }
            candidate = nil
            anonymousKB = nil
            swapKB = nil
        }
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.hasSuffix(":") {
                let kilobytes = fields.count >= 2 ? Int(fields[1]) : nil
                switch first {
                case "Anonymous:": anonymousKB = kilobytes
                case "Swap:": swapKB = kilobytes
                case "Rss:": candidate?.residentKB = kilobytes ?? 0
                default: break
                }
                continue
            }
            // A mapping's first line: start-end perms offset device inode [path].
            finish()
            let bounds = first.split(separator: "-")
            guard fields.count >= 6, bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
                  end > start else { continue }
            let permissions = Array(fields[1].utf8)
            let path = fields[5...].joined(separator: " ")
            guard permissions.count == 4, permissions[0] == UInt8(ascii: "r"), permissions[1] == UInt8(ascii: "-"),
                  permissions[3] == UInt8(ascii: "p"), path.hasPrefix("/"), !path.hasPrefix("/dev/"), !path.hasSuffix("(deleted)")
            else { continue }
            candidate = Mapping(start: start, end: end, path: path, residentKB: 0)
        }
        finish()
        return result
    }

    /// A /proc file, whole (at most 16 MB).
    private static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count < 16 << 20 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
#else
/// Elsewhere than Linux there is nothing to release.
public enum LoadedCodePages {
    @discardableResult
    public static func release() -> Int { 0 }
}
#endif
