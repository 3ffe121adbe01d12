#if canImport(Glibc)
import Glibc

/// The executable's code pages in this process's resident set.
///
/// Starting a Swift program touches code that never runs again: the
/// runtime's and Foundation's initialisation, the YAML parser, the TLS and
/// socket set-up, argument handling. The kernel maps each such page with up
/// to 15 neighbours (fault-around), so a long-running agent keeps most of
/// its 19 MB of machine code resident although its steady work uses a small
/// part of it. `release()` unmaps the executable's read-only code segment
/// once (`MADV_DONTNEED`): the pages stay in the page cache and whatever
/// runs afterwards faults its own pages back in. Only `r-xp` mappings of
/// the executable itself are touched: code is never written, so nothing
/// can be lost, and data segments are left alone.
public enum ExecutableCodePages {
    /// Unmaps the executable's code pages from this process; returns the
    /// bytes of address space advised (0 when /proc is not there).
    @discardableResult
    public static func release() -> Int {
        guard let executable = executablePath(), let maps = read("/proc/self/maps") else { return 0 }
        var released = 0
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "r-xp", fields[5...].joined(separator: " ") == executable else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), end > start,
                  let address = UnsafeMutableRawPointer(bitPattern: start) else { continue }
            if madvise(address, Int(end - start), MADV_DONTNEED) == 0 {
                released += Int(end - start)
            }
        }
        return released
    }

    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A small /proc file, whole.
    private static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while bytes.count < 4 << 20 {
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
public enum ExecutableCodePages {
    @discardableResult
    public static func release() -> Int { 0 }
}
#endif
