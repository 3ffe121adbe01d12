import ArgumentParser
import Foundation
import TributaryBench
import TributaryProcess

/// `trib bench query`: rare-token searches and a LogQL count over ≥10M
/// stored lines, and a PromQL range query over a counter load.
struct QueryBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Load Loghub lines (replicated, shifted in time) into a node, let it seal, then time rare-token searches and metric queries.",
        discussion: """
            Prints each figure as soon as it is measured (one JSON object per line with --json), then all of them in one \
            line; progress, with the seconds since the start, goes to standard error.

            storage_vs_gzip6: data directory bytes ÷ gzip -6 of the same lines, with load_and_settle_s. \
            rare_token_1h_s, rare_token_all_s: {app=~".+"} |= "tribneedle42" over the last hour and over everything. \
            logql_count_all_s: sum by (app) (count_over_time({app=~".+"} |= "error" [1h])) over the whole load at step 1h. \
            promql_range_s: sum by (host) (rate(bench_requests_total[5m])) over --metric-hours at step 1m, on \
            --metric-series counters sampled every 10 s, loaded after the lines (--metric-series 0 skips it). \
            With the plain reference (default), plain_… figures for a second node whose sealed blocks hold plain \
            lines (the format before templates), its queries interleaved with the first node's. Each timing is the \
            median of 5 and comes with …_cpu_s, the CPU seconds of the whole process (node and client) for the \
            request. Every answer is checked against what was loaded.
            """
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Directory of Loghub *.log samples (default: ../shared/data/loghub).")
    var data: String?

    @Option(help: "Records to load.")
    var records = 10_000_000

    @Option(help: "Hours the records span (ending now).")
    var hours = 48

    @Option(help: "Counters of the PromQL load (one sample every 10 s each); 0 skips the metric part.")
    var metricSeries = 10_000

    @Option(help: "Hours the PromQL load spans (ending now), and the range of its query.")
    var metricHours = 24

    @Flag(inversion: .prefixedNo, help: "Also load a second node sealing plain lines (the format before templates) and time the log queries on both, interleaved (plain_… figures).")
    var plainReference = true

    func validate() throws {
        guard records >= 10_000, hours >= 2 else { throw ValidationError("--records must be at least 10000 and --hours at least 2") }
        guard metricSeries >= 0, metricSeries % 20 == 0, (1...168).contains(metricHours) else {
            throw ValidationError("--metric-series must be 0 (no metric part) or a multiple of 20 (the hosts), and --metric-hours from 1 to 168")
        }
    }

    func run() async throws {
        let corpus = try LoghubCorpus(directory: LoghubCorpus.locate(data))
        var benchmark = QueryBenchmark()
        benchmark.records = records
        benchmark.hours = hours
        benchmark.metricSeries = metricSeries
        benchmark.metricHours = metricHours
        benchmark.plainReference = plainReference
        let started = ContinuousClock.now
        let json = json
        let reports = try await benchmark.run(corpus: corpus, progress: { line in
            let elapsed = (ContinuousClock.now - started).components.seconds
            StandardOutput.complain("[query +\(elapsed) s] \(line)")
        }, emit: { report in
            StandardOutput.say(json ? report.json : report.text)
        })
        for report in reports {
            StandardOutput.say(json ? report.json : report.text)
        }
    }
}
