#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import TributaryFormats

@Suite struct HostMetricsReaderTests {
    @Test func statFixture() {
        let ticks = HostMetricsReader.clockTicks
        #expect(ticks == Double(sysconf(Int32(_SC_CLK_TCK))))
        let modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
        let cpu0: [Double] = [1_052_906, 0, 128_506, 1_264_251, 7387, 0, 5688, 30875]
        let cpu1: [Double] = [1_252_948, 0, 144_708, 1_024_089, 27546, 0, 9355, 30665]
        var expected: [AggregatedSample] = []
        for (cpu, values) in [("0", cpu0), ("1", cpu1)] {
            for (mode, value) in zip(modes, values) {
                expected.append(AggregatedSample(name: "node_cpu_seconds_total", labels: [KeyValue("cpu", cpu), KeyValue("mode", mode)],
                                                 value: value / ticks, kind: .counter))
            }
        }
        #expect(HostMetricsReader.parseStat(ProcFixtures.stat) == expected)
        if ticks == 100 { #expect(expected.first?.value == 10_529.06) }
    }

    @Test func statFromAnOlderKernel() {
        // Linux 2.6.0–2.6.10 had no steal column; the summary line is skipped.
        let samples = HostMetricsReader.parseStat("cpu  1 2 3 4 5 6 7\ncpu0 100 200 300 400 500 600 700\ncpux 1 2 3\n")
        #expect(samples.map { $0.labels[1].value } == ["user", "nice", "system", "idle", "iowait", "irq", "softirq"])
        #expect(samples.allSatisfy { $0.labels[0] == KeyValue("cpu", "0") })
    }

    @Test func meminfoFixture() {
        func memory(_ field: String, _ kilobytes: Double) -> AggregatedSample {
            AggregatedSample(name: "node_memory_\(field)_bytes", value: kilobytes * 1024, kind: .gauge)
        }
        #expect(HostMetricsReader.parseMeminfo(ProcFixtures.meminfo) == [
            memory("MemTotal", 24_684_096), memory("MemFree", 21_610_476), memory("MemAvailable", 23_682_520), memory("Buffers", 28024),
            memory("Cached", 2_025_504), memory("SwapTotal", 0), memory("SwapFree", 0),
        ])
    }

    @Test func loadavgFixture() {
        #expect(HostMetricsReader.parseLoadavg(ProcFixtures.loadavg) == [
            AggregatedSample(name: "node_load1", value: 7.06, kind: .gauge),
            AggregatedSample(name: "node_load5", value: 6.04, kind: .gauge),
            AggregatedSample(name: "node_load15", value: 3.88, kind: .gauge),
        ])
        #expect(HostMetricsReader.parseLoadavg("garbage").isEmpty)
    }

    @Test func netDevFixture() {
        func device(_ name: String, _ values: [Double]) -> [AggregatedSample] {
            zip(["receive_bytes", "receive_packets", "receive_errs", "transmit_bytes", "transmit_packets", "transmit_errs"], values).map {
                AggregatedSample(name: "node_network_\($0)_total", labels: [KeyValue("device", name)], value: $1, kind: .counter)
            }
        }
        #expect(HostMetricsReader.parseNetDev(ProcFixtures.netDev)
            == device("ifb0", [0, 0, 0, 0, 0, 0]) + device("ifb1", [0, 0, 0, 0, 0, 0]) + device("eth0", [11_461_092, 412, 0, 29192, 331, 0]))
        // Old kernels wrote large counters straight after the colon.
        let glued = "Inter-| Receive | Transmit\n face |bytes|bytes\n  eth1:12345678901 7 1 0 0 0 0 0 98765 6 2 0 0 0 0 0\n"
        #expect(HostMetricsReader.parseNetDev(glued) == device("eth1", [12_345_678_901, 7, 1, 98765, 6, 2]))
    }

    @Test func diskstatsFixture() {
        let labels = [KeyValue("device", "vda")]
        #expect(HostMetricsReader.parseDiskstats(ProcFixtures.diskstats) == [
            AggregatedSample(name: "node_disk_reads_completed_total", labels: labels, value: 1_584_673, kind: .counter),
            AggregatedSample(name: "node_disk_read_bytes_total", labels: labels, value: 74_336_402 * 512, kind: .counter),
            AggregatedSample(name: "node_disk_writes_completed_total", labels: labels, value: 1_171_037, kind: .counter),
            AggregatedSample(name: "node_disk_written_bytes_total", labels: labels, value: 108_369_232 * 512, kind: .counter),
        ])
        let partitions = " 259 0 nvme0n1 10 0 80 1 20 0 160 2 0 3 3\n 259 1 nvme0n1p1 5 0 40 1 10 0 80 1 0 2 2\n   1 0 ram0 1 0 1 0 1 0 1 0 0 0 0\n"
        #expect(HostMetricsReader.parseDiskstats(partitions).map { $0.labels[0].value } == Array(repeating: "nvme0n1", count: 4)
            + Array(repeating: "nvme0n1p1", count: 4))
    }

    @Test func garbageGivesNothing() {
        let garbage = "cpu0 x y z\nMemTotal: lots kB\n eth0: 1 2 3\n 8 0 sda a b c d e f g h i j k\n\u{0}\u{FFFD}"
        #expect(HostMetricsReader.parseStat(garbage).isEmpty)
        #expect(HostMetricsReader.parseMeminfo(garbage).isEmpty)
        #expect(HostMetricsReader.parseNetDev(garbage).isEmpty)
        #expect(HostMetricsReader.parseDiskstats(garbage).isEmpty)
        #expect(HostMetricsReader.parseStat("").isEmpty && HostMetricsReader.parseLoadavg("").isEmpty)
    }

    @Test func mountsAreUnescaped() {
        let mounts = HostMetricsReader.parseMounts("/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\n/dev/sdc /odd\\134path\\ xfs rw 0 0\nshort line\n")
        #expect(mounts.map(\.mountpoint) == ["/mnt/my disk", "/odd\\path\\"])
        #expect(mounts.map(\.fstype) == ["ext4", "xfs"])
    }

    @Test func missingFilesAreReported() throws {
        var template = Array("/tmp/trib-formats-proc-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let path = mkdtemp(base) else { return nil }
            return String(cString: path)
        }
        let root = try #require(made)
        defer {
            for file in ["stat", "meminfo", "self/mounts"] { unlink(root + "/" + file) }
            rmdir(root + "/self")
            rmdir(root)
        }
        func write(_ file: String, _ text: String) {
            guard let handle = fopen(root + "/" + file, "w") else { return }
            fputs(text, handle)
            fclose(handle)
        }
        write("stat", ProcFixtures.stat)
        write("meminfo", ProcFixtures.meminfo)
        mkdir(root + "/self", 0o755)
        write("self/mounts", "/dev/root / \(rootFilesystemType() ?? "ext4") rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n/dev/sdz /no\\040such\\040dir ext4 rw 0 0\n")

        let (samples, problems) = HostMetricsReader(procRoot: root).read()
        #expect(samples.filter { $0.name == "node_cpu_seconds_total" }.count == 16)
        #expect(samples.contains { $0.name == "node_memory_MemTotal_bytes" })
        #expect(!samples.contains { $0.name == "node_load1" || $0.name.hasPrefix("node_network") || $0.name.hasPrefix("node_disk") })
        #expect(problems.count == 4, "\(problems)")
        for file in ["loadavg", "net/dev", "diskstats"] {
            #expect(problems.contains { $0.contains(root + "/" + file) }, "\(file)")
        }
        #expect(problems.contains { $0.contains("/no such dir") }, "statfs failure is reported")
        let filesystems: [AggregatedSample] = samples.filter { $0.name.hasPrefix("node_filesystem") }
        if HostMetricsReader.defaultFilesystemTypes.contains(rootFilesystemType() ?? "ext4") {
            #expect(filesystems.map { $0.name } == ["node_filesystem_size_bytes", "node_filesystem_avail_bytes", "node_filesystem_free_bytes"])
            #expect(filesystems.allSatisfy { $0.labels.first == KeyValue("device", "/dev/root") && $0.labels.last == KeyValue("mountpoint", "/") })
        }

        let nothing = HostMetricsReader(procRoot: root + "/absent").read()
        #expect(nothing.samples.isEmpty)
        #expect(nothing.problems.count == 6)
    }

    @Test func readsThisMachine() throws {
        let (samples, _) = HostMetricsReader().read()
        #if os(Linux)
        #expect(samples.contains { $0.name == "node_cpu_seconds_total" && $0.kind == .counter })
        #expect((samples.first { $0.name == "node_memory_MemTotal_bytes" }?.value ?? 0) > 0)
        #expect(samples.contains { $0.name == "node_load1" })
        if let type = rootFilesystemType(), HostMetricsReader.defaultFilesystemTypes.contains(type) {
            let root = samples.first { $0.name == "node_filesystem_size_bytes" && $0.labels.contains(KeyValue("mountpoint", "/")) }
            #expect((root?.value ?? 0) > 0)
            #expect(root?.labels.contains(KeyValue("fstype", type)) == true)
        }
        for sample in samples {
            #expect(sample.labels.map(\.key) == sample.labels.map(\.key).sorted(), "\(sample.name)")
        }
        #endif
    }

    /// The type /proc/self/mounts gives "/" (the first entry of a type
    /// the reader accepts, as the reader picks it), or nil.
    private func rootFilesystemType() -> String? {
        guard case .success(let text) = HostMetricsReader.readFile("/proc/self/mounts") else { return nil }
        let roots = HostMetricsReader.parseMounts(text).filter { $0.mountpoint == "/" }
        return (roots.first { HostMetricsReader.defaultFilesystemTypes.contains($0.fstype) } ?? roots.first)?.fstype
    }
}
