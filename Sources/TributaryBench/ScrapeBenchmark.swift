import Foundation
import TributaryFormats

/// `trib bench scrape`: how fast one core reads a scraped exposition — the
/// prometheus input's parser over a node_exporter-like body of `series`
/// samples (families of 100 series with two labels, `# HELP` and `# TYPE`
/// each), in the text format 0.0.4 and in OpenMetrics.
///
/// Figures: samples and MB (10^6 bytes of body) parsed per second of wall
/// time, and samples per second of this thread's CPU time (the figure to
/// trust on a busy machine).
public struct ScrapeBenchmark: Sendable {
    public var series = 10_000
    /// How long each format is parsed over and over.
    public var seconds = 3.0

    public init() {}

    /// The exposition body of `series` samples.
    public static func body(series: Int, format: ExpositionFormat) -> [UInt8] {
        var text = ""
        text.reserveCapacity(series * 80)
        for family in 0..<(series + 99) / 100 {
            let name = "node_bench_family_\(family)_seconds"
            text += "# HELP \(name) A family of the benchmark, as node_exporter writes them.\n# TYPE \(name) counter\n"
            for index in 0..<min(100, series - family * 100) {
                let sample = format == .openMetrics ? name + "_total" : name
                text += "\(sample){cpu=\"\(index % 16)\",mode=\"mode-\(index)\"} \(Double(index) * 1234.567 + 0.25)\n"
            }
        }
        if format == .openMetrics { text += "# EOF\n" }
        return Array(text.utf8)
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    public func run() throws -> [BenchmarkReport] {
        var reports: [BenchmarkReport] = []
        for (label, format) in [("text", ExpositionFormat.text), ("openmetrics", .openMetrics)] {
            let body = Self.body(series: series, format: format)
            let limits = ExpositionLimits(maxSamples: series)
            var samples = 0
            var bytes = 0
            let cpuStart = Self.threadCPUSeconds()
            let start = ContinuousClock.now
            var elapsed = 0.0
            while elapsed < seconds {
                samples += try ExpositionParser.parse(body, format: format, limits: limits).count
                bytes += body.count
                let duration = ContinuousClock.now - start
                elapsed = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            }
            var report = BenchmarkReport(bench: "scrape")
            report.add("format", label)
            report.add("series", series)
            report.add("body_bytes", body.count)
            report.add("scrape_parse_samples_per_s", Double(samples) / elapsed, decimals: 0)
            report.add("scrape_parse_mb_per_s", Double(bytes) / elapsed / 1e6)
            report.add("scrape_parse_samples_per_cpu_s", Double(samples) / max(1e-9, Self.threadCPUSeconds() - cpuStart), decimals: 0)
            reports.append(report)
        }
        return reports
    }
}
