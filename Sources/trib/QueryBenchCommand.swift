import ArgumentParser
import Foundation
import TributaryBench

/// `trib bench query`: rare-token searches over ≥10M stored records.
struct QueryBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Load Loghub lines (replicated, shifted in time) into a node, let it seal, then time rare-token searches.",
        discussion: "Prints rare_token_1h_s, rare_token_all_s and storage_vs_gzip6 (data directory bytes ÷ gzip -6 of the same lines)."
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Directory of Loghub *.log samples (default: ../shared/data/loghub).")
    var data: String?

    @Option(help: "Records to load.")
    var records = 10_000_000

    @Option(help: "Hours the records span (ending now).")
    var hours = 48

    func validate() throws {
        guard records >= 10_000, hours >= 2 else { throw ValidationError("--records must be at least 10000 and --hours at least 2") }
    }

    func run() async throws {
        let corpus = try LoghubCorpus(directory: LoghubCorpus.locate(data))
        var benchmark = QueryBenchmark()
        benchmark.records = records
        benchmark.hours = hours
        let quiet = json
        for report in try await benchmark.run(corpus: corpus, progress: { line in
            if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }) {
            print(json ? report.json : report.text)
        }
    }
}
