import Foundation
import TributaryPatterns

/// `trib bench patterns`: the template miner's grouping accuracy against
/// Loghub-style ground truth (`*_structured.csv`, `Content` and `EventId`
/// columns) and its throughput on one core.
public struct PatternBenchmark: Sendable {
    public var configuration = TemplateMinerConfiguration()
    /// Throughput runs over all files' lines until at least this long.
    public var seconds: Double = 1

    public init() {}

    /// Every `*_structured.csv` in `directory`.
    public static func load(directory: URL) throws -> [LabelledLogFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix("_structured.csv") }.sorted()
        guard !names.isEmpty else {
            throw LabelledLogFileError("no *_structured.csv files in \(directory.path); pass --data DIR with Loghub-style CSVs (Content and EventId columns)")
        }
        return try names.map { name in
            try LabelledLogFile(name: name, csv: [UInt8](Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    /// One report per file, then the summary.
    public func run(files: [LabelledLogFile]) -> [BenchmarkReport] {
        var reports: [BenchmarkReport] = []
        var total = 0.0
        var shuffledTotal = 0.0
        for file in files {
            let accuracy = GroupingAccuracy.mine(file.contents, truth: file.eventIDs, configuration: configuration)
            // The held-out variation: the same lines in a fixed random order.
            var generator = BenchShuffle(seed: 42)
            let order = Array(file.contents.indices).shuffled(using: &generator)
            let shuffled = GroupingAccuracy.mine(
                order.map { file.contents[$0] }, truth: order.map { file.eventIDs[$0] }, configuration: configuration
            )
            total += accuracy
            shuffledTotal += shuffled
            var report = BenchmarkReport(bench: "patterns")
            report.add("file", file.name)
            report.add("lines", file.contents.count)
            report.add("grouping_accuracy", accuracy, decimals: 4)
            report.add("grouping_accuracy_shuffled", shuffled, decimals: 4)
            reports.append(report)
        }
        let count = Double(max(files.count, 1))
        var summary = BenchmarkReport(bench: "patterns")
        summary.add("files", files.count)
        summary.add("patterns_grouping_accuracy_mean", total / count, decimals: 4)
        summary.add("patterns_grouping_accuracy_shuffled_mean", shuffledTotal / count, decimals: 4)
        let speed = throughput(files: files)
        summary.add("patterns_lines_per_s", speed.perCPUSecond, decimals: 0)
        summary.add("patterns_lines_per_wall_s", speed.perWallSecond, decimals: 0)
        reports.append(summary)
        return reports
    }

    /// Lines per second learning the concatenated `Content` lines, a fresh
    /// miner per file per pass (so template creation is in the figure),
    /// repeated until the mining thread has used `seconds` of CPU time.
    /// Per CPU second of this thread (one core), so other work on the
    /// machine does not lower the figure; the wall-clock rate is the second
    /// value (equal on an idle machine).
    func throughput(files: [LabelledLogFile]) -> (perCPUSecond: Double, perWallSecond: Double) {
        let lines = files.map { $0.contents.map { Array($0.utf8) } }
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = Self.threadCPUSeconds()
        var learned = 0
        var checksum: UInt64 = 0
        repeat {
            for file in lines {
                let miner = TemplateMiner(configuration: configuration)
                for line in file { checksum &+= miner.learn(line) }
                learned += file.count
            }
        } while Self.threadCPUSeconds() - cpuStart < seconds
        let cpu = Self.threadCPUSeconds() - cpuStart
        let elapsed = clock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        precondition(checksum != 0 || learned == 0, "the miner ran")
        return (Double(learned) / cpu, Double(learned) / wall)
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// SplitMix64, so the shuffled order is the same on every run.
struct BenchShuffle: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
