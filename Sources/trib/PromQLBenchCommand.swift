import ArgumentParser
import Foundation
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

    @Flag(help: "Instead, time the engine alone on sum by (host) (rate(x[5m])) over 24 h at 1 min on 10,000 series (promql_range_engine_s); use a release build.")
    var rangeBench = false

    func run() throws {
        if rangeBench {
            let (seconds, series) = try PromQLRangeBenchmark().run()
            let text = String(format: "%.3f", seconds)
            print(json ? "{\"promql_range_engine_s\":\(text),\"output_series\":\(series)}" : "promql_range_engine_s \(text) (\(series) output series)")
            return
        }
        guard let directory = data ?? PromQLTestRunner.locateDefaultDirectory() else {
            throw ValidationError("no promqltest directory found; pass --data DIR")
        }
        let runner = PromQLTestRunner { try QueryExpr.parse($0, language: .promql) }
        let results = try runner.run(directory: directory)
        let lines = json ? ConformanceReport.json(results) : ConformanceReport.table(results, verbose: verbose)
        for line in lines { print(line) }
    }
}
