import ArgumentParser
import Foundation
import TributaryBench

/// `trib bench console`: the web console's first-load size and the time to render a query's lines.
struct ConsoleBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The web console in headless Chromium: bytes of the first page load and time from Enter to 1,000 rendered lines.",
        discussion: """
            Needs Debian's chromium and chromium-driver. Starts a node in this process (plain HTTP on loopback), loads it with \
            --lines log lines, then prints console_first_load_kb (compressed bytes transferred to show the login form and the \
            Explore page) and console_query_render_ms (median of --repeats queries, from submitting to 1,000 lines laid out).
            """
    )

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Log lines loaded into the node before querying.")
    var lines = 100_000

    @Option(help: "Queries timed (the median is reported).")
    var repeats = 5

    @Option(help: "The Chromium binary.")
    var chromium = "/usr/bin/chromium"

    @Option(help: "The chromedriver binary.")
    var chromedriver = "/usr/bin/chromedriver"

    func validate() throws {
        guard lines >= 1000 else { throw ValidationError("--lines must be at least 1000 (the query renders 1,000 lines)") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be from 1 to 100") }
    }

    func run() async throws {
        var benchmark = ConsoleBenchmark()
        benchmark.lines = lines
        benchmark.repeats = repeats
        benchmark.chromium = chromium
        benchmark.chromedriver = chromedriver
        let quiet = json
        let report = try await benchmark.run(progress: { line in
            if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        })
        print(json ? report.json : report.text)
    }
}
