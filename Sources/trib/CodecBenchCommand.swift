import ArgumentParser
import Foundation
import TributaryBench
import TributaryCompression

/// `trib bench codec`: wire-protocol encode/decode throughput and ratio.
struct CodecBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Encode+compress and inflate+decode Loghub records in BATCH frames on one core.",
        discussion: "Prints encode_mb_per_s, decode_mb_per_s and ratio (raw message bytes ÷ frame bytes)."
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Directory of Loghub *.log samples (default: ../shared/data/loghub).")
    var data: String?

    @Option(help: "Seconds to run each of the encode and decode phases.")
    var seconds: Double = 3

    @Option(help: "Bytes per log message.")
    var recordBytes = 200

    @Option(help: "Records per batch.")
    var batchRecords = 1000

    @Option(help: "zlib level, 0–9.")
    var level = 1

    func validate() throws {
        guard CompressionLevel(level) != nil else { throw ValidationError("--level must be 0 to 9, not \(level)") }
        guard recordBytes > 0, batchRecords > 0, seconds > 0 else {
            throw ValidationError("--record-bytes, --batch-records and --seconds must be positive")
        }
    }

    func run() throws {
        let corpus = try LoghubCorpus(directory: LoghubCorpus.locate(data))
        var benchmark = CodecBenchmark()
        benchmark.seconds = seconds
        benchmark.recordBytes = recordBytes
        benchmark.batchRecords = batchRecords
        benchmark.level = CompressionLevel(level)!
        for report in try benchmark.run(corpus: corpus) {
            print(json ? report.json : report.text)
        }
    }
}
