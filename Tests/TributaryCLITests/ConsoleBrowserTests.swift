import Foundation
import Testing
import TributaryTestSupport

/// The web console in headless Chromium (Debian's `chromium` and
/// `chromium-driver`, driven by PyPI's `selenium` from
/// `Tests/Browser/console_browser.py`) against a real three-node cluster
/// fed by a real agent tailing a file. One cluster serves every browser
/// check; each check saves a screenshot under `.build/console-screenshots/`.
@Suite struct ConsoleBrowserTests {
    /// Tenant acme: the agent's token, the admin token, and the console's,
    /// which may both query and see the cluster page.
    static let consoleToken = "console-token-query-admin"
    static let tenants = """
          - name: acme
            tokens: ["${TRIB_TEST_TOKEN}", {token: \(NodeHTTP.adminToken), roles: [admin]}, {token: \(consoleToken), roles: [query, admin]}]
        """

    static var screenshots: URL { RepositoryPaths.root.appendingPathComponent(".build/console-screenshots") }

    @Test func consoleWorksInARealBrowser() async throws {
        for program in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            try #require(FileManager.default.isExecutableFile(atPath: program),
                         "\(program) is missing: apt-get install -y chromium chromium-driver (.ci/run installs them)")
        }
        let selenium = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import selenium"])
        try #require(selenium.status == 0, "python3 cannot import selenium: pip install selenium (.ci/run installs it)")

        let cluster = try ClusterSetup(["node-a", "node-b", "node-c"], replicationFactor: 2, tenants: Self.tenants)
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }

        // An agent tailing one file, sending to every node.
        let logs = cluster.directory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let tailed = logs.appendingPathComponent("console.log").path
        let levels = ["info", "warn", "error"]
        var text = ""
        let lineCount = 60
        for index in 0..<lineCount {
            let word = index % 4 == 0 ? "needle" : "hay"
            text += "level=\(levels[index % 3]) host=web-\(index % 2) msg=\"request \(index) \(word)\"\n"
        }
        try text.write(toFile: tailed, atomically: true, encoding: .utf8)
        let agentFile = cluster.directory.appendingPathComponent("agent.yaml").path
        let nodes = ["node-a", "node-b", "node-c"].map { "127.0.0.1:\(cluster.node($0).agentPort)" }.joined(separator: ", ")
        try """
            nodes: [\(nodes)]
            token: ${TRIB_TEST_TOKEN}
            tls:
              ca: ca.pem
            state_dir: agent-state
            http_listen: 127.0.0.1:0
            batch:
              max_age: 100ms
            inputs:
              - type: file
                name: console
                paths: [\(tailed)]
                start_at: beginning
                labels: {app: console}
            """.write(toFile: agentFile, atomically: true, encoding: .utf8)
        let agent = try RunningProcess(RepositoryPaths.tribExecutable, ["agent", "--config", agentFile])
        defer { agent.terminate() }
        let listening = try await agent.waitForLine { $0.contains("HTTP on http://") || $0.contains("Error") }
        let agentHTTP = try #require(listening.components(separatedBy: "HTTP on http://").last?.split(separator: " ").first, "\(listening)")

        let http = cluster.node("node-a").httpPort
        let logQuery = #"{app="console"}"#
        try await AgentSetup.eventually("the tailed lines to be queryable", seconds: 60) {
            try AgentSetup.lines(http: http, logQuery).count == lineCount
        }
        let deploy = "console deploy v9.9"
        let event = try ProcessResult.run(RepositoryPaths.tribExecutable, ["event", "--type", "deploy", "--label", "service=checkout",
                                                                           "--message", deploy, "--agent", String(agentHTTP)])
        #expect(event.status == 0, "trib event: \(event.stderr)")
        try await AgentSetup.eventually("the deploy event to be queryable", seconds: 60) {
            try AgentSetup.lines(http: http, #"{service="checkout"}"#).count == 1
        }

        let metricQuery = #"sum by (level) (count_over_time({app="console"} | logfmt [1m]))"#
        let badQuery = #"{app="console""#
        let configuration: [String: Any] = [
            "base": "https://127.0.0.1:\(http)",
            "screenshots": Self.screenshots.path,
            "token": Self.consoleToken,
            "logQuery": logQuery,
            "logQueryEncoded": Self.encode(logQuery),
            "logLines": lineCount,
            "filterQuery": #"{app="console"} |= "needle""#,
            "filterWord": "needle",
            "filterLines": (0..<lineCount).filter { $0 % 4 == 0 }.count,
            "badQuery": badQuery,
            "badPosition": badQuery.count,
            "tailedFile": tailed,
            "metricQueryEncoded": Self.encode(metricQuery),
            "metricSeries": levels.count,
            "deployText": deploy,
            "killNode": "node-c",
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: configuration), as: UTF8.self)
        let script = RepositoryPaths.root.appendingPathComponent("Tests/Browser/console_browser.py").path
        let browser = try RunningProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, json])
        defer { browser.terminate() }
        // The script asks for the node to be killed when the cluster page shows three up.
        // Deadlines for a loaded CI machine: each check waits on conditions
        // (90 s each at most, in the script), so a passing run takes what
        // the browser needs and only a failing one comes near these.
        let kill = try await browser.waitForLine(timeout: 900) { $0.hasPrefix("KILL ") || $0.hasPrefix("FAIL cluster-nodes") }
        if kill.hasPrefix("KILL ") {
            await cluster.kill("node-c")
            browser.write("killed\n")
        }
        let status = await browser.waitForExit(timeout: 300)
        let results = browser.output.filter { $0.hasPrefix("PASS ") || $0.hasPrefix("FAIL ") || $0.hasPrefix("INFO ") }
        for line in results { print("console browser: \(line)") }
        for check in ["login-wrong-token", "login", "explore-from-url", "explore-from-box", "explore-bad-query", "live-tail", "metric-chart",
                      "deploy-marker", "cluster-nodes", "logout"] {
            #expect(results.contains { $0.hasPrefix("PASS \(check) ") }, "\(check): \(results.first { $0.hasPrefix("FAIL \(check)") } ?? "did not run")")
        }
        #expect(status == 0, "console_browser.py exited with \(status.map(String.init) ?? "no status"); output:\n\(browser.output.suffix(40).joined(separator: "\n"))")
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
