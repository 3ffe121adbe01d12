import ArgumentParser
import Foundation
import TributaryBench

/// `trib bench patterns`: template-mining accuracy and throughput.
struct PatternsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Grouping accuracy of the log-pattern miner against *_structured.csv ground truth, and lines/s on one core.",
        discussion: """
            Prints one line per file (file, lines, grouping_accuracy, grouping_accuracy_shuffled) and a summary with \
            patterns_grouping_accuracy_mean and patterns_lines_per_s. Any directory of Loghub-style CSVs works \
            (columns Content and EventId).
            """
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Directory of *_structured.csv files (default: ../shared/data/loghub).")
    var data: String?

    @Option(help: "CPU seconds of mining for the throughput figure (at least).")
    var seconds: Double = 1

    func validate() throws {
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
    }

    func run() throws {
        let files = try PatternBenchmark.load(directory: LoghubCorpus.locate(data))
        var benchmark = PatternBenchmark()
        benchmark.seconds = seconds
        for report in benchmark.run(files: files) {
            print(json ? report.json : report.text)
        }
    }
}
