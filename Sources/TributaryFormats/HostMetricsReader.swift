import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Host metrics from /proc and statvfs(3), named as node_exporter names
/// them so existing dashboards work: CPU seconds by mode, memory, load,
/// network and disk counters, and file system sizes.
public struct HostMetricsReader: Sendable {
    public static let defaultFilesystemTypes: Set<String> = ["ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "vfat", "f2fs"]

    public let procRoot: String
    public let filesystemTypes: Set<String>

    public init(procRoot: String = "/proc", filesystemTypes: Set<String> = HostMetricsReader.defaultFilesystemTypes) {
        self.procRoot = procRoot
        self.filesystemTypes = filesystemTypes
    }

    /// Everything it can read; an unreadable file is skipped and named in `problems`.
    public func read() -> (samples: [AggregatedSample], problems: [String]) {
        var samples: [AggregatedSample] = []
        var problems: [String] = []
        let sources: [(String, (String) -> [AggregatedSample])] = [
            ("stat", Self.parseStat), ("meminfo", Self.parseMeminfo), ("loadavg", Self.parseLoadavg),
            ("net/dev", Self.parseNetDev), ("diskstats", Self.parseDiskstats),
        ]
        for (file, parse) in sources {
            if let text = Self.readFile(procRoot + "/" + file) {
                samples += parse(text)
            } else {
                problems.append("cannot read \(procRoot)/\(file): host metrics from it are skipped")
            }
        }
        if let mounts = Self.readFile(procRoot + "/self/mounts") {
            var seen: Set<String> = []
            for line in mounts.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count >= 3, filesystemTypes.contains(String(parts[2])) else { continue }
                let mountpoint = Self.unescape(String(parts[1]))
                guard seen.insert(mountpoint).inserted else { continue }
                var info = statvfs()
                guard statvfs(mountpoint, &info) == 0 else { continue }
                let labels = [KeyValue("device", String(parts[0])), KeyValue("fstype", String(parts[2])), KeyValue("mountpoint", mountpoint)]
                let block = Double(info.f_frsize)
                samples.append(AggregatedSample(name: "node_filesystem_size_bytes", labels: labels, value: Double(info.f_blocks) * block, kind: .gauge))
                samples.append(AggregatedSample(name: "node_filesystem_free_bytes", labels: labels, value: Double(info.f_bfree) * block, kind: .gauge))
                samples.append(AggregatedSample(name: "node_filesystem_avail_bytes", labels: labels, value: Double(info.f_bavail) * block, kind: .gauge))
            }
        } else {
            problems.append("cannot read \(procRoot)/self/mounts: file system metrics are skipped")
        }
        return (samples, problems)
    }

    static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < 16 << 20 {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `\040` (space) and friends in /proc/self/mounts.
    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x5C, index + 3 < bytes.count, let value = UInt8(String(decoding: bytes[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                out.append(value)
                index += 4
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let clockTicks = Double(sysconf(Int32(_SC_CLK_TCK)))

    public static func parseStat(_ text: String) -> [AggregatedSample] {
        let modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
        var samples: [AggregatedSample] = []
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") && !line.hasPrefix("cpu ") {
            let parts = line.split(separator: " ")
            let cpu = String(parts[0].dropFirst(3))
            for (index, mode) in modes.enumerated() where index + 1 < parts.count {
                guard let ticks = Double(parts[index + 1]) else { continue }
                samples.append(AggregatedSample(name: "node_cpu_seconds_total", labels: [KeyValue("cpu", cpu), KeyValue("mode", mode)],
                                                value: ticks / clockTicks, kind: .counter))
            }
        }
        return samples
    }

    public static func parseMeminfo(_ text: String) -> [AggregatedSample] {
        let wanted: Set<String> = ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree"]
        var samples: [AggregatedSample] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[0].hasSuffix(":") else { continue }
            let key = String(parts[0].dropLast())
            guard wanted.contains(key), let value = Double(parts[1]) else { continue }
            let factor = parts.count >= 3 && parts[2] == "kB" ? 1024.0 : 1.0
            samples.append(AggregatedSample(name: "node_memory_\(key)_bytes", value: value * factor, kind: .gauge))
        }
        return samples
    }

    public static func parseLoadavg(_ text: String) -> [AggregatedSample] {
        let parts = text.split(separator: " ")
        guard parts.count >= 3, let one = Double(parts[0]), let five = Double(parts[1]), let fifteen = Double(parts[2]) else { return [] }
        return [AggregatedSample(name: "node_load1", value: one, kind: .gauge),
                AggregatedSample(name: "node_load5", value: five, kind: .gauge),
                AggregatedSample(name: "node_load15", value: fifteen, kind: .gauge)]
    }

    public static func parseNetDev(_ text: String) -> [AggregatedSample] {
        var samples: [AggregatedSample] = []
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let device = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !device.isEmpty, device != "lo", !device.contains("|") else { continue }
            let values = line[line.index(after: colon)...].split(separator: " ").compactMap { Double($0) }
            guard values.count >= 16 else { continue }
            let labels = [KeyValue("device", device)]
            for (name, index) in [("receive_bytes", 0), ("receive_packets", 1), ("receive_errs", 2), ("transmit_bytes", 8),
                                  ("transmit_packets", 9), ("transmit_errs", 10)] {
                samples.append(AggregatedSample(name: "node_network_\(name)_total", labels: labels, value: values[index], kind: .counter))
            }
        }
        return samples
    }

    public static func parseDiskstats(_ text: String) -> [AggregatedSample] {
        var samples: [AggregatedSample] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 14 else { continue }
            let device = String(parts[2])
            guard !device.hasPrefix("loop"), !device.hasPrefix("ram") else { continue }
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
}
