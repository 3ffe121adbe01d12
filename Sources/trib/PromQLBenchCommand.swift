import ArgumentParser
import TributaryConformance
import TributaryQuery

/// `trib bench promql`: Prometheus' PromQL test scripts, counted.
struct PromQLBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promql",
        abstract: "Run Prometheus' PromQL conformance scripts (*.test) against the query engine.",
        discussion: "Counts each eval as passed, failed or skipped (native histograms, unimplemented experimental features) and prints promqltest_pass_ratio = passed / (passed + failed)."
    )

    @Flag(help: "Print one JSON object per file, then a summary object.")
    var json = false

    @Flag(help: "List each failing case (file:line, query, expected versus got).")
    var verbose = false

    @Option(help: "Directory of *.test scripts (default: ../shared/data/promqltest).")
    var data: String?

    func run() throws {
        guard let directory = data ?? PromQLTestRunner.locateDefaultDirectory() else {
            throw ValidationError("no promqltest directory found; pass --data DIR")
        }
        let runner = PromQLTestRunner { try QueryExpr.parse($0, language: .promql) }
        let results = try runner.run(directory: directory)
        let lines = json ? ConformanceReport.json(results) : ConformanceReport.table(results, verbose: verbose)
        for line in lines { print(line) }
    }
}
