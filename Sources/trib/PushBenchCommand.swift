import ArgumentParser
import Foundation
import TributaryBench

/// `trib bench push`: remote write and Loki push into a node, end to end
/// until durable, with VictoriaMetrics as the remote-write reference.
struct PushBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Remote write and Loki push into a node over loopback until acknowledged; VictoriaMetrics as the reference.",
        discussion: """
            Prints remote_write_samples_per_s (snappy WriteRequests of --samples-per-request samples over --series series),             victoriametrics_samples_per_s (the same bodies into Debian's victoria-metrics, started on a free port),             remote_write_vs_victoriametrics and loki_push_lines_per_s (protobuf+snappy pushes of --lines-per-request Loghub lines).             Every request must be answered 2xx; what was stored is checked by queries afterwards.
            """
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Directory of Loghub *.log samples (default: ../shared/data/loghub).")
    var data: String?

    @Option(help: "Remote-write series.")
    var series = 10_000

    @Option(help: "Samples per series (one round sends every series once).")
    var rounds = 100

    @Option(help: "Samples per remote-write request.")
    var samplesPerRequest = 1_000

    @Option(help: "Loki lines to push.")
    var lines = 1_000_000

    @Option(help: "Lines per Loki push request.")
    var linesPerRequest = 1_000

    @Option(help: "Concurrent client connections (the same for the node and VictoriaMetrics).")
    var connections = 4

    @Flag(help: "Keep each client connection for all its requests, as Prometheus' remote-write shards do (default: one connection per request).")
    var keepAlive = false

    @Option(help: "The victoria-metrics executable.")
    var victoriaMetrics = "/usr/bin/victoria-metrics"

    func validate() throws {
        guard series >= 1, rounds >= 1, samplesPerRequest >= 1, lines >= 1, linesPerRequest >= 1, (1...64).contains(connections) else {
            throw ValidationError("counts must be at least 1 and --connections from 1 to 64")
        }
        guard rounds <= 8_000 else { throw ValidationError("--rounds above 8000 would reach past the node's 7-day max_record_age") }
    }

    func run() async throws {
        let corpus = try LoghubCorpus(directory: LoghubCorpus.locate(data))
        var benchmark = PushBenchmark()
        benchmark.series = series
        benchmark.rounds = rounds
        benchmark.samplesPerRequest = samplesPerRequest
        benchmark.lines = lines
        benchmark.linesPerRequest = linesPerRequest
        benchmark.connections = connections
        benchmark.keepAlive = keepAlive
        benchmark.victoriaMetrics = victoriaMetrics
        let quiet = json
        for report in try await benchmark.run(corpus: corpus, progress: { line in
            if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }) {
            print(json ? report.json : report.text)
        }
    }
}
