#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Host metrics from /proc and statvfs(3) (statfs(2) underneath), named as
/// node_exporter names them so existing Grafana dashboards work:
///
/// - `node_cpu_seconds_total{cpu, mode}` (counter): /proc/stat ticks of
///   each CPU divided by `sysconf(_SC_CLK_TCK)`, modes user, nice, system,
///   idle, iowait, irq, softirq, steal (the all-CPU line is left out, as
///   node_exporter does);
/// - `node_memory_{MemTotal,MemFree,MemAvailable,Buffers,Cached,SwapTotal,SwapFree}_bytes`
///   (gauges, kB × 1024);
/// - `node_load1`, `node_load5`, `node_load15` (gauges);
/// - `node_network_{receive,transmit}_{bytes,packets,errs}_total{device}`
///   (counters, /proc/net/dev without `lo`);
/// - `node_disk_{reads,writes}_completed_total{device}` and
///   `node_disk_{read,written}_bytes_total{device}` (counters, sectors ×
///   512, /proc/diskstats without loop, ram and zram devices; partitions
///   are kept);
/// - `node_filesystem_{size,avail,free}_bytes{device, fstype, mountpoint}`
///   (gauges) for each mount in /proc/self/mounts whose type is in
///   `filesystemTypes`, each mount point once.
///
/// Samples come in file order; labels are sorted by key.
public struct HostMetricsReader: Sendable {
    /// Real disk file systems; overlay, tmpfs and other virtual ones are
    /// left out.
    public static let defaultFilesystemTypes: Set<String> = ["ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "vfat", "f2fs"]

    public let procRoot: String
    public let filesystemTypes: Set<String>

    public init(procRoot: String = "/proc", filesystemTypes: Set<String> = HostMetricsReader.defaultFilesystemTypes) {
        self.procRoot = procRoot
        self.filesystemTypes = filesystemTypes
    }

    /// Reads everything it can; a missing or unreadable file (or a mount
    /// statfs fails on) is skipped and described in `problems`. Never
    /// throws.
    public func read() -> (samples: [AggregatedSample], problems: [String]) {
        var samples: [AggregatedSample] = []
        var problems: [String] = []
        let sources: [(file: String, parse: (String) -> [AggregatedSample])] = [
            ("stat", Self.parseStat), ("meminfo", Self.parseMeminfo), ("loadavg", Self.parseLoadavg),
            ("net/dev", Self.parseNetDev), ("diskstats", Self.parseDiskstats),
        ]
        for source in sources {
            let path = procRoot + "/" + source.file
            switch Self.readFile(path) {
            case .success(let text): samples += source.parse(text)
            case .failure(let problem): problems.append("cannot read \(path) (\(problem)): its host metrics are skipped")
            }
        }
        let mountsPath = procRoot + "/self/mounts"
        switch Self.readFile(mountsPath) {
        case .success(let mounts):
            var seen: Set<String> = []
            for mount in Self.parseMounts(mounts) where filesystemTypes.contains(mount.fstype) {
                guard seen.insert(mount.mountpoint).inserted else { continue }
                var info = statvfs()
                guard statvfs(mount.mountpoint, &info) == 0 else {
                    problems.append("statfs \(mount.mountpoint) failed (\(Self.errorText(errno))): its file system metrics are skipped")
                    continue
                }
                let labels = [KeyValue("device", mount.device), KeyValue("fstype", mount.fstype), KeyValue("mountpoint", mount.mountpoint)]
                let block = Double(info.f_frsize)
                samples.append(AggregatedSample(name: "node_filesystem_size_bytes", labels: labels, value: Double(info.f_blocks) * block, kind: .gauge))
                samples.append(AggregatedSample(name: "node_filesystem_avail_bytes", labels: labels, value: Double(info.f_bavail) * block, kind: .gauge))
                samples.append(AggregatedSample(name: "node_filesystem_free_bytes", labels: labels, value: Double(info.f_bfree) * block, kind: .gauge))
            }
        case .failure(let problem):
            problems.append("cannot read \(mountsPath) (\(problem)): file system metrics are skipped")
        }
        return (samples, problems)
    }

    // MARK: Parsers

    static let cpuModes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]

    /// Clock ticks per second for /proc/stat (USER_HZ, 100 on Linux).
    static let clockTicks: Double = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }()

    /// /proc/stat: `cpuN user nice system idle iowait irq softirq steal …`;
    /// older kernels with fewer columns give fewer modes.
    public static func parseStat(_ text: String) -> [AggregatedSample] {
        var samples: [AggregatedSample] = []
        for line in text.split(separator: "\n") {
            let parts = fields(line)
            guard let first = parts.first, first.hasPrefix("cpu") else { continue }
            let cpu = first.dropFirst(3)
            guard !cpu.isEmpty, cpu.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { continue }
            for (index, mode) in cpuModes.enumerated() where index + 1 < parts.count {
                guard let ticks = Double(parts[index + 1]) else { break }
                samples.append(AggregatedSample(name: "node_cpu_seconds_total", labels: [KeyValue("cpu", String(cpu)), KeyValue("mode", mode)],
                                                value: ticks / clockTicks, kind: .counter))
            }
        }
        return samples
    }

    static let memoryFields: Set<Substring> = ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree"]

    /// /proc/meminfo: `MemTotal:       24684096 kB`.
    public static func parseMeminfo(_ text: String) -> [AggregatedSample] {
        var samples: [AggregatedSample] = []
        for line in text.split(separator: "\n") {
            let parts = fields(line)
            guard parts.count >= 2, parts[0].hasSuffix(":") else { continue }
            let key = parts[0].dropLast()
            guard memoryFields.contains(key), let value = Double(parts[1]) else { continue }
            let factor = parts.count >= 3 && parts[2] == "kB" ? 1024.0 : 1.0
            samples.append(AggregatedSample(name: "node_memory_\(key)_bytes", value: value * factor, kind: .gauge))
        }
        return samples
    }

    /// /proc/loadavg: `3.72 2.64 1.86 6/135 10497`.
    public static func parseLoadavg(_ text: String) -> [AggregatedSample] {
        let parts = fields(text[...])
        guard parts.count >= 3, let one = Double(parts[0]), let five = Double(parts[1]), let fifteen = Double(parts[2]) else { return [] }
        return [AggregatedSample(name: "node_load1", value: one, kind: .gauge),
                AggregatedSample(name: "node_load5", value: five, kind: .gauge),
                AggregatedSample(name: "node_load15", value: fifteen, kind: .gauge)]
    }

    static let netDevColumns: [(name: String, column: Int)] = [
        ("node_network_receive_bytes_total", 0), ("node_network_receive_packets_total", 1), ("node_network_receive_errs_total", 2),
        ("node_network_transmit_bytes_total", 8), ("node_network_transmit_packets_total", 9), ("node_network_transmit_errs_total", 10),
    ]

    /// /proc/net/dev: two header lines, then `  eth0: rx×8 tx×8`.
    public static func parseNetDev(_ text: String) -> [AggregatedSample] {
        var samples: [AggregatedSample] = []
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let device = fields(line[..<colon]).first.map(String.init) ?? ""
            guard !device.isEmpty, device != "lo", !device.contains("|") else { continue }
            let values = fields(line[line.index(after: colon)...]).map { Double($0) }
            guard values.count >= 16, values.allSatisfy({ $0 != nil }) else { continue }
            let labels = [KeyValue("device", device)]
            for (name, column) in netDevColumns {
                samples.append(AggregatedSample(name: name, labels: labels, value: values[column] ?? 0, kind: .counter))
            }
        }
        return samples
    }

    /// /proc/diskstats: `major minor name reads merged sectors ms writes
    /// merged sectors ms …` (14 or more columns).
    public static func parseDiskstats(_ text: String) -> [AggregatedSample] {
        var samples: [AggregatedSample] = []
        for line in text.split(separator: "\n") {
            let parts = fields(line)
            guard parts.count >= 14 else { continue }
            let device = String(parts[2])
            guard !device.hasPrefix("loop"), !device.hasPrefix("ram"), !device.hasPrefix("zram") else { continue }
            guard let reads = Double(parts[3]), let sectorsRead = Double(parts[5]), let writes = Double(parts[7]),
                  let sectorsWritten = Double(parts[9]) else { continue }
            let labels = [KeyValue("device", device)]
            samples.append(AggregatedSample(name: "node_disk_reads_completed_total", labels: labels, value: reads, kind: .counter))
            samples.append(AggregatedSample(name: "node_disk_read_bytes_total", labels: labels, value: sectorsRead * 512, kind: .counter))
            samples.append(AggregatedSample(name: "node_disk_writes_completed_total", labels: labels, value: writes, kind: .counter))
            samples.append(AggregatedSample(name: "node_disk_written_bytes_total", labels: labels, value: sectorsWritten * 512, kind: .counter))
        }
        return samples
    }

    /// /proc/self/mounts: `device mountpoint fstype options 0 0`, with
    /// spaces and other special characters escaped as `\040` and so on.
    static func parseMounts(_ text: String) -> [(device: String, mountpoint: String, fstype: String)] {
        text.split(separator: "\n").compactMap { line in
            let parts = fields(line)
            guard parts.count >= 3 else { return nil }
            return (unescapeOctal(parts[0]), unescapeOctal(parts[1]), String(parts[2]))
        }
    }

    // MARK: Helpers

    static func fields(_ line: Substring) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    /// `\ooo` octal escapes (three digits) as their byte.
    static func unescapeOctal(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count,
               bytes[(index + 1)...(index + 3)].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) {
                let value = bytes[(index + 1)...(index + 3)].reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
                if value <= 0xFF {
                    out.append(UInt8(value))
                    index += 4
                    continue
                }
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A whole file (at most 16 MiB); /proc files report size 0, so it
    /// reads until end of file.
    static func readFile(_ path: String) -> Result<String, ReadProblem> {
        guard let file = fopen(path, "r") else { return .failure(ReadProblem(errorText(errno))) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < 16 << 20 {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { bytes += chunk[0..<count] }
            if count < chunk.count {
                if ferror(file) != 0 { return .failure(ReadProblem(errorText(errno))) }
                break
            }
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// Why a file could not be read, for `problems`.
    struct ReadProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
