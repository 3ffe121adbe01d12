import ArgumentParser
import Foundation
import TributaryBench

/// `trib bench sustained`: the highest ingest rate one node keeps up with
/// for minutes, flushing and sealing included.
struct SustainedBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sustained",
        abstract: "Agents push Loghub batches into one node for minutes, with flushing and sealing, at the highest rate it keeps up with.",
        discussion: """
            Steps the offered load up (--start-rate, ×--step-factor every --step-seconds) while the node acknowledges what is offered, \
            then holds the highest such rate for --seconds with 1-minute partitions that are flushed and sealed as they end. \
            Prints sustained_records_per_s (acknowledged while held), sustained_seal_lag_s (the longest an ended partition waited \
            for its seal), bounded (1 when nothing was refused BUSY, ≥ 95 % of the offered load was acknowledged and the seal lag \
            stayed within two partition spans), and the probing steps.
            """
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Directory of Loghub *.log samples (default: ../shared/data/loghub).")
    var data: String?

    @Option(help: "Seconds to hold the found rate.")
    var seconds: Double = 300

    @Option(help: "Seconds per probing step.")
    var stepSeconds: Double = 20

    @Option(help: "Offered records per second of the first step.")
    var startRate: Double = 100_000

    @Option(help: "Each step offers this many times the previous one.")
    var stepFactor: Double = 1.5

    @Option(help: "Most probing steps.")
    var maxSteps = 12

    @Option(help: "Concurrent agent connections.")
    var connections = 4

    @Option(help: "Partition span of the node in seconds (a configuration allows 60 at least; shorter only for tests).")
    var partitionSpan: Double = 60

    func validate() throws {
        guard seconds > 0, stepSeconds > 0, startRate >= 1, maxSteps >= 1, (1...64).contains(connections) else {
            throw ValidationError("--seconds, --step-seconds, --start-rate and --max-steps must be positive and --connections from 1 to 64")
        }
        guard stepFactor > 1 else { throw ValidationError("--step-factor must be above 1 (e.g. 1.5)") }
        guard partitionSpan >= 1 else { throw ValidationError("--partition-span must be at least 1 second") }
    }

    func run() async throws {
        let corpus = try LoghubCorpus(directory: LoghubCorpus.locate(data))
        var benchmark = SustainedBenchmark()
        benchmark.seconds = seconds
        benchmark.stepSeconds = stepSeconds
        benchmark.startRate = startRate
        benchmark.stepFactor = stepFactor
        benchmark.maxSteps = maxSteps
        benchmark.connections = connections
        benchmark.partitionSpan = partitionSpan
        let quiet = json
        for report in try await benchmark.run(corpus: corpus, progress: { line in
            if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }) {
            print(json ? report.json : report.text)
        }
    }
}
