import ArgumentParser
import TributaryBench

/// `trib bench ingest`: records per second a node acknowledges.
struct IngestBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Agents push Loghub records over TLS to one node that acknowledges each batch once it is in its synced write-ahead log.",
        discussion: "Prints records_per_s, mb_per_s, fsyncs_per_s, p50_ack_ms and p99_ack_ms."
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Directory of Loghub *.log samples (default: ../shared/data/loghub).")
    var data: String?

    @Option(help: "Concurrent agent connections.")
    var connections = 4

    @Option(help: "Seconds to measure (after a 1 s warm-up).")
    var seconds: Double = 10

    func validate() throws {
        guard connections > 0, seconds > 0 else { throw ValidationError("--connections and --seconds must be positive") }
    }

    func run() async throws {
        let corpus = try LoghubCorpus(directory: LoghubCorpus.locate(data))
        var benchmark = IngestBenchmark()
        benchmark.connections = connections
        benchmark.seconds = seconds
        for report in try await benchmark.run(corpus: corpus) {
            print(json ? report.json : report.text)
        }
    }
}
