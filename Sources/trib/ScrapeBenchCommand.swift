import ArgumentParser
import TributaryBench

/// `trib bench scrape`: the prometheus input's exposition parser on one core.
struct ScrapeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrape",
        abstract: "Parse a node_exporter-like exposition (text 0.0.4 and OpenMetrics) on one core, as the agent's prometheus input does.",
        discussion: "Prints scrape_parse_samples_per_s, scrape_parse_mb_per_s and scrape_parse_samples_per_cpu_s per format."
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Samples in the exposition.")
    var series = 10_000

    @Option(help: "Seconds to parse each format.")
    var seconds: Double = 3

    func validate() throws {
        guard series > 0, series <= 1_000_000, seconds > 0 else { throw ValidationError("--series must be 1 to 1000000 and --seconds positive") }
    }

    func run() throws {
        var benchmark = ScrapeBenchmark()
        benchmark.series = series
        benchmark.seconds = seconds
        for report in try benchmark.run() {
            print(json ? report.json : report.text)
        }
    }
}
