import Foundation
import Logging
import TributaryConsole
import TributaryFreePort
import TributaryHTTPClient
import TributaryNode

/// `trib bench console`: the web console in headless Chromium against a
/// node in this process loaded with `lines` log lines. Figures:
/// - `console_first_load_kb`: what the browser transferred (compressed,
///   headers included) to show the login form and then the Explore page,
///   API calls excluded, with an empty cache;
/// - `console_query_render_ms`: from submitting the query box (what Enter
///   does) to 1,000 lines rendered and laid out, median of `repeats`;
/// - the console's total size, uncompressed and gzip.
public struct ConsoleBenchmark: Sendable {
    public var lines = 100_000
    public var repeats = 5
    public var chromium = "/usr/bin/chromium"
    public var chromedriver = "/usr/bin/chromedriver"

    static let token = "bench-console-token-0123456789"

    public init() {}

    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> BenchmarkReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-console-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configFile = directory.appendingPathComponent("node.yaml").path
        try """
            node_id: bench-console
            listen: 127.0.0.1:0
            http_listen: 127.0.0.1:\(try FreePort.find())
            data_dir: data
            insecure: true
            tenants:
              - name: bench
                tokens: [\(Self.token)]
            """.write(toFile: configFile, atomically: true, encoding: .utf8)
        var logger = Logger(label: "tributary.bench.console")
        logger.logLevel = .error
        let node = try await NodeService.start(try NodeConfiguration.load(path: configFile), logger: logger)
        do {
            // On a thread of its own: the WebDriver and HTTP calls block, and
            // the node in this process needs the cooperative pool to answer.
            let port = node.httpPort
            let report = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<BenchmarkReport, any Error>) in
                Thread {
                    // chromedriver and Chromium inherit this thread's signal mask, which it took over
                    // from the concurrency pool (SIGINT and SIGTERM blocked): clear it, so a Ctrl-C
                    // ends them with the bench.
                    var none = sigset_t()
                    sigemptyset(&none)
                    pthread_sigmask(SIG_SETMASK, &none, nil)
                    continuation.resume(with: Result { try self.measure(port, progress: progress) })
                }.start()
            }
            await node.stop()
            return report
        } catch {
            await node.stop()
            throw error
        }
    }

    /// Blocking: the WebDriver calls wait on their answers.
    private func measure(_ port: Int, progress: @Sendable (String) -> Void) throws -> BenchmarkReport {
        progress("loading \(lines) lines through Loki's push API")
        try load(port: port)
        let base = "http://127.0.0.1:\(port)"
        var timings: [Double] = []
        var transfers: [Double] = []
        // Each round in a new browser: an empty cache for the first-load
        // figure, and no state left from the round before.
        for round in 0..<repeats {
            progress("round \(round + 1) of \(repeats): starting headless Chromium")
            let browser = try WebDriverSession(chromedriver: chromedriver, chromium: chromium)
            defer { browser.close() }
            try browser.navigate(base + "/explore")
            try browser.wait("the login form", until: "return !!document.getElementById('token')")
            _ = try browser.execute("document.getElementById('token').value = arguments[0]; document.querySelector('form.login').requestSubmit();", [Self.token])
            try browser.wait("the Explore page", until: "return !!document.getElementById('query')")
            // Let late module requests finish before adding them up.
            Thread.sleep(forTimeInterval: 0.5)
            let transferred = try browser.execute("""
                const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
                return entries.filter((entry) => !entry.name.includes('/api/') && !entry.name.includes('/loki/') && !entry.name.includes('/metrics'))
                              .reduce((sum, entry) => sum + (entry.transferSize || 0), 0);
                """) as? NSNumber
            guard let transferred = transferred?.doubleValue, transferred > 0 else {
                throw WebDriverSession.Failure(description: "the browser reported no transferred bytes (Resource Timing)")
            }
            transfers.append(transferred)
            progress("round \(round + 1): querying")
            // Started by one script, read back by polling: the page keeps the result.
            _ = try browser.execute("""
                const [query, wanted] = arguments;
                const box = document.getElementById('query');
                box.value = query;
                window.benchElapsed = null;
                const started = performance.now();
                const watch = () => {
                  const list = document.getElementById('lines');
                  if (list && list.childElementCount >= wanted && list.offsetHeight > 0) window.benchElapsed = performance.now() - started;
                  else setTimeout(watch, 1);
                };
                box.form.requestSubmit();
                setTimeout(watch, 0);
                """, [#"{app="bench"}"#, 1000])
            try browser.wait("1,000 lines", seconds: 60, until: "return window.benchElapsed !== null && window.benchElapsed !== undefined")
            let elapsed = try browser.execute("return window.benchElapsed")
            guard let milliseconds = (elapsed as? NSNumber)?.doubleValue else { throw WebDriverSession.Failure(description: "the render time is missing: \(String(describing: elapsed))") }
            timings.append(milliseconds)
        }
        timings.sort()
        var report = BenchmarkReport(bench: "console")
        report.add("console_first_load_kb", transfers.sorted()[transfers.count / 2] / 1024)
        report.add("console_query_render_ms", timings[timings.count / 2])
        report.add("console_query_render_ms_min", timings[0])
        report.add("console_lines_loaded", lines)
        let size = ConsoleAssets.totalBytes
        report.add("console_assets_kb", Double(size.identity) / 1024)
        report.add("console_assets_gzip_kb", Double(size.gzip) / 1024)
        return report
    }

    /// Pushes `lines` lines (4 hosts, a few severities) over the last 10 minutes, 5,000 per request.
    private func load(port: Int) throws {
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let span: Int64 = 600_000_000_000
        var sent = 0
        let levels = ["info", "warn", "error", "debug"]
        while sent < lines {
            let count = min(5_000, lines - sent)
            var streams: [String: [[String]]] = [:]
            for index in sent..<(sent + count) {
                let time = now - span + span * Int64(index) / Int64(max(lines, 1))
                let host = "web-\(index % 4)"
                streams[host, default: []].append([String(time), "level=\(levels[index % 4]) route=/api/items/\(index % 97) status=200 duration_ms=\(index % 250) request \(index)"])
            }
            let body: [String: Any] = ["streams": streams.map { host, values in ["stream": ["app": "bench", "host": host], "values": values] }]
            let (status, answer) = try HTTPGetClient.post(host: "127.0.0.1", port: port, path: "/loki/api/v1/push",
                                                          json: [UInt8](try JSONSerialization.data(withJSONObject: body)),
                                                          headers: ["Authorization": "Bearer \(Self.token)"])
            guard (200..<300).contains(status) else { throw WebDriverSession.Failure(description: "push refused: \(status) \(answer)") }
            sent += count
        }
    }
}
