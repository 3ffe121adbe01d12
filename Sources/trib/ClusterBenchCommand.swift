import ArgumentParser
import TributaryBench

/// `trib bench cluster`: a three-node cluster with RF=2 against one node.
struct ClusterBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Agents push Loghub records over TLS to three nodes (replication factor 2, quorum 2) and to one node, taking turns in the same run.",
        discussion: "Prints cluster_records_per_s, single_records_per_s (medians of the turns), cluster_vs_single, cluster_p50_ack_ms and cluster_p99_ack_ms."
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Directory of Loghub *.log samples (default: ../shared/data/loghub).")
    var data: String?

    @Option(help: "Concurrent agent connections (spread over the nodes).")
    var connections = 6

    @Option(help: "Seconds to measure each set-up, in three turns each (after a 1 s warm-up per turn).")
    var seconds: Double = 15

    @Option(help: "Run only one set-up, cluster or single (to profile it, e.g. under valgrind --tool=callgrind; no cluster_vs_single then).")
    var only: String?

    func validate() throws {
        guard connections > 0, seconds > 0 else { throw ValidationError("--connections and --seconds must be positive") }
        if let only, ClusterBenchmarkSetup(rawValue: only) == nil {
            throw ValidationError("--only must be cluster or single, not \"\(only)\"")
        }
    }

    func run() async throws {
        let corpus = try LoghubCorpus(directory: LoghubCorpus.locate(data))
        var benchmark = ClusterBenchmark()
        benchmark.connections = connections
        benchmark.seconds = seconds
        benchmark.only = only.flatMap(ClusterBenchmarkSetup.init(rawValue:))
        for report in try await benchmark.run(corpus: corpus) {
            print(json ? report.json : report.text)
        }
    }
}
