import Foundation
import Testing
import TributaryModel
import TributaryNode
import TributaryTestSupport

/// Queries cannot kill or stall a node: overflowing times are 400s, slow
/// queries stop at their deadline while /healthz and ingest answer,
/// clients that leave and SIGTERM stop queries, and forms decode `+`.
/// Against real `trib node` processes. Serialized: the slow queries are
/// CPU-bound and the machine is small.
@Suite(.serialized) struct QueryLimitTests {
    static let second = NodeQueryTests.second
    static let now = NodeQueryTests.now

    /// 40 lines of 16 KiB of "a": `a{0,1000}!` costs ~1,000 steps per
    /// character on them (linear, but seconds per line in a debug build).
    static let slowQuery = #"{app="load"} |~ "a{0,1000}!""#

    static func loadLines(count: Int = 40) throws -> [Record] {
        try (0..<count).map { index in
            try NodeQueryTests.log(-Int64(index) - 1, ["app": "load"], String(repeating: "a", count: 16_384))
        }
    }

    static func metric(_ port: Int, _ line: String) throws -> Double? {
        let page = try NodeHTTP.get(port: port, "/metrics").body
        return page.split(separator: "\n").first { $0.hasPrefix(line + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// Polls `/metrics` until `line` has `value` (at most `seconds`).
    static func waitForMetric(_ port: Int, _ line: String, _ value: Double, seconds: Double = 20) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try metric(port, line) == value { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try metric(port, line) == value
    }

    /// Runs a blocking call on its own thread, so slow HTTP calls do not
    /// occupy the test's cooperative threads.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    static func encoded(_ query: String) -> String {
        var components = URLComponents()
        components.path = "/api/v1/query_range"
        components.queryItems = [URLQueryItem(name: "query", value: query)]
        return components.url!.absoluteString.replacingOccurrences(of: "+", with: "%2B")
    }

    @Test func overflowingTimesAndDurationsAre400AndTheNodeKeepsServing() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send(try NodeQueryTests.sample(), port: port, caFile: setup.pki.caFile)
        let refused: [(String, [String: String], String)] = [
            (#"{app="nginx"}"#, ["start": "0001-01-01T00:00:00Z"], "parameter start: expected a time between the years 1678 and 2262"),
            (#"{app="nginx"}"#, ["end": "9999-12-31T23:59:59Z"], "parameter end: expected a time between the years 1678 and 2262"),
            (#"{app="nginx"}"#, ["start": "1e300"], "parameter start"),
            (#"{app="nginx"}"#, ["start": "300y"], "parameter start"),
            ("rate(x[99999999999999w])", [:], "expected a duration of at most 200y"),
            ("rate(http_requests_total[5m])", ["start": "1900-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z", "step": "1"],
             "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"),
            ("rate(http_requests_total[5m])", ["start": "1678-01-01T00:00:00Z", "end": "2262-04-11T00:00:00Z"],
             "parameter end: expected at most 292 years after start"),
            ("rate(http_requests_total[5m])", ["start": "1900-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z", "step": "1h"],
             "exceeded maximum resolution of 11,000 points per timeseries"),
            ("rate(http_requests_total[5m])", ["step": "0.0000000001"], "parameter step"),
            ("rate(http_requests_total[5m])", ["step": "9999999999999999w"], "parameter step"),
        ]
        for (query, parameters, message) in refused {
            let answer = try NodeHTTP.query(port: http, query, parameters)
            #expect(answer.status == 400, "\(query) \(parameters): \(answer.body)")
            #expect((answer.json["error"] as? String)?.contains(message) == true, "\(query) \(parameters): \(answer.body)")
            #expect(try NodeHTTP.get(port: http, "/healthz", token: nil).status == 200, "after \(query) \(parameters)")
        }
        // Windows reaching before 1678 are cut there, not overflowed.
        let early = try NodeHTTP.query(port: http, "sum(rate(http_requests_total[200y]))",
                                       ["start": "1678-01-01T00:00:00Z", "end": "1678-01-02T00:00:00Z", "step": "1h"])
        #expect(early.status == 200, "\(early.body)")
        let latest = try NodeHTTP.query(port: http, #"{app="nginx"}"#, ["start": "2262-04-11T00:00:00Z", "end": "2262-04-11T23:47:16Z"])
        #expect(latest.status == 200, "\(latest.body)")
        #expect(node.isRunning)
        // The CLI gets the same answer and says it.
        let cli = try ProcessResult.run(RepositoryPaths.tribExecutable,
                                              ["query", #"{app="nginx"}"#, "--node", "127.0.0.1:\(http)", "--token", "token-for-acme", "--ca", setup.pki.caFile,
                                               "--start", "0001-01-01T00:00:00Z"])
        #expect(cli.status == 1)
        #expect(cli.stderr.contains("1678 and 2262"), "\(cli.stderr)")
        #expect(try NodeHTTP.get(port: http, "/healthz", token: nil).status == 200)
    }

    @Test(.timeLimit(.minutes(1))) func aPathologicalRegexAnswersQuickly() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let lines = try (0..<20).map { try NodeQueryTests.log(-Int64($0) - 1, ["app": "evil"], String(repeating: "a", count: 40) + "!") }
        try await NodeQueryTests.send(lines, port: port, caFile: setup.pki.caFile)
        let answer = try NodeHTTP.query(port: http, #"{app="evil"} |~ "(a+)+$""#)
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.lines.isEmpty)
        let matching = try NodeHTTP.query(port: http, #"{app="evil"} |~ "(a+)+!$""#, ["limit": "5"])
        #expect(matching.lines.count == 5)
        let unsupported = try NodeHTTP.query(port: http, #"{app="evil"} |~ "(a)\\1""#)
        #expect(unsupported.status == 400)
        #expect((unsupported.json["error"] as? String)?.contains("backreferences") == true, "\(unsupported.body)")
    }

    @Test func slowQueriesStopAtTheirDeadlineWhileHealthAndIngestAnswer() async throws {
        let setup = try NodeSetup(extra: "query:\n  timeout: 2s\n  max_concurrency: 2\n  max_concurrency_per_tenant: 2")
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send(try Self.loadLines(), port: port, caFile: setup.pki.caFile)
        let path = Self.encoded(Self.slowQuery)
        async let first = Self.onThread { try NodeHTTP.get(port: http, path) }
        async let second = Self.onThread { try NodeHTTP.get(port: http, path) }
        #expect(try await Self.waitForMetric(http, "tributary_queries_running", 2, seconds: 10))
        // While both grind: /healthz answers (generous bound) and a batch is stored.
        let health = try await Self.onThread {
            try NodeHTTP.get(port: http, "/healthz", token: nil).status
        }
        #expect(health == 200)
        try await NodeQueryTests.send([try NodeQueryTests.log(-1, ["app": "during"], "stored while queries ran")], port: port,
                                      caFile: setup.pki.caFile, agent: "agent-during")
        for answer in [try await first, try await second] {
            #expect(answer.status == 503, "\(answer.body.prefix(300))")
            #expect(answer.json["errorType"] as? String == "timeout", "\(answer.body.prefix(300))")
            #expect((answer.json["error"] as? String)?.contains("query.timeout") == true)
        }
        #expect(try Self.metric(http, #"tributary_queries_stopped_total{reason="timeout"}"#) == 2)
        #expect(try await Self.waitForMetric(http, "tributary_queries_running", 0, seconds: 10))
        let during = try NodeHTTP.query(port: http, #"{app="during"}"#)
        #expect(during.messages == ["stored while queries ran"], "\(during.body)")
    }

    /// Lines found before the deadline are sent; the JSON then ends with
    /// the timeout, which `trib query` prints.
    @Test func aStreamedAnswerThatRunsOutOfTimeEndsWithTheError() async throws {
        let setup = try NodeSetup(extra: "query:\n  timeout: 2s")
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        // Fast lines in the newest bucket (searched first), slow ones two hours back.
        let slow = try (0..<40).map { try NodeQueryTests.log(-7_200 - Int64($0), ["app": "load"], String(repeating: "a", count: 16_384)) }
        let fast = try (0..<3).map { try NodeQueryTests.log(-1 - Int64($0), ["app": "load"], "fast!") }
        try await NodeQueryTests.send(slow + fast, port: port, caFile: setup.pki.caFile)
        let answer = try NodeHTTP.query(port: http, Self.slowQuery, ["start": "3h"])
        #expect(answer.status == 200, "\(answer.body.prefix(300))")
        #expect(answer.messages == ["fast!", "fast!", "fast!"])
        #expect(answer.json["errorType"] as? String == "timeout", "\(answer.body.prefix(600))")
        #expect((answer.json["error"] as? String)?.contains("incomplete") == true)
        let cli = try ProcessResult.run(RepositoryPaths.tribExecutable,
                                        ["query", Self.slowQuery, "--node", "127.0.0.1:\(http)", "--token", "token-for-acme", "--ca", setup.pki.caFile,
                                         "--since", "3h"])
        #expect(cli.stdout.contains("fast!"))
        #expect(cli.stdout.contains("error: the query stopped part-way"), "\(cli.stdout) \(cli.stderr)")
    }

    @Test func aClientThatLeavesFreesItsSlot() async throws {
        let setup = try NodeSetup(extra: "query:\n  timeout: 5m\n  max_concurrency: 1\n  max_concurrency_per_tenant: 1\n  queue_timeout: 1s")
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send(try Self.loadLines() + [try NodeQueryTests.log(-5, ["app": "quick"], "hello")], port: port,
                                      caFile: setup.pki.caFile)
        let client = try await RawHTTPConnection.open(port: http, path: Self.encoded(Self.slowQuery), ca: setup.pki.caFile)
        #expect(try await Self.waitForMetric(http, "tributary_queries_running", 1, seconds: 10))
        // The tenant's one slot is taken: 429, counted.
        let refused = try NodeHTTP.query(port: http, #"{app="quick"}"#)
        #expect(refused.status == 429, "\(refused.body)")
        #expect(try Self.metric(http, #"tributary_queries_refused_total{reason="tenant_limit"}"#) == 1)
        client.close()
        #expect(try await Self.waitForMetric(http, "tributary_queries_running", 0, seconds: 15))
        #expect(try Self.metric(http, #"tributary_queries_stopped_total{reason="client_gone"}"#) == 1)
        let next = try NodeHTTP.query(port: http, #"{app="quick"}"#)
        #expect(next.status == 200, "\(next.body)")
        #expect(next.messages == ["hello"])
    }

    @Test func sigtermDuringALongQueryExitsPromptly() async throws {
        let setup = try NodeSetup(extra: "query:\n  timeout: 5m")
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send(try Self.loadLines(), port: port, caFile: setup.pki.caFile)
        let client = try await RawHTTPConnection.open(port: http, path: Self.encoded(Self.slowQuery), ca: setup.pki.caFile)
        defer { client.close() }
        #expect(try await Self.waitForMetric(http, "tributary_queries_running", 1, seconds: 10))
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: 20) == 0, "the node did not exit within 20 s of SIGTERM")
    }

    @Test func plusIsASpaceAndFormPostsWork() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send(try NodeQueryTests.sample(), port: port, caFile: setup.pki.caFile)
        // As an HTML form (and Grafana) encodes it: spaces are +.
        let form = try NodeHTTP.get(port: http, "/api/v1/query_range?query=%7Bapp%3D%22nginx%22%7D+%7C%3D+%22GET+%2Fa%22&limit=5")
        #expect(form.status == 200, "\(form.body)")
        #expect(form.messages == ["GET /a 200 0.003"])
        // curl, GET with --data-urlencode.
        let curl = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/curl"), [
            "-sS", "--cacert", setup.pki.caFile, "-G", "--data-urlencode", #"query={app="nginx"} |= "GET /a""#, "-H", "Authorization: Bearer token-for-acme",
            "https://127.0.0.1:\(http)/api/v1/query_range",
        ])
        #expect(curl.stdout.contains("GET /a 200 0.003"), "\(curl.stdout) \(curl.stderr)")
        // Python's urllib, POST with a form body (spaces as +), both endpoints.
        for endpoint in ["query_range", "query"] {
            let script = """
                import ssl, urllib.parse, urllib.request, sys
                context = ssl.create_default_context(cafile="\(setup.pki.caFile)")
                context.check_hostname = False
                data = urllib.parse.urlencode({"query": '{app="nginx"} |= "GET /a"', "limit": "5"}).encode()
                assert b"+" in data
                request = urllib.request.Request("https://127.0.0.1:\(http)/api/v1/\(endpoint)?limit=1", data=data,
                                                 headers={"Authorization": "Bearer token-for-acme"})
                print(urllib.request.urlopen(request, timeout=30, context=context).read().decode())
                """
            let python = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script])
            #expect(python.status == 0, "\(python.stderr)")
            #expect(python.stdout.contains("GET /a 200 0.003"), "\(endpoint): \(python.stdout) \(python.stderr)")
        }
        // trib query escapes a literal + (a regex's one-or-more), so it is not read as a space.
        let cli = try ProcessResult.run(RepositoryPaths.tribExecutable, [
            "query", #"{app=~"ng.+"} |= "GET /a""#, "--node", "127.0.0.1:\(http)", "--token", "token-for-acme", "--ca", setup.pki.caFile,
        ])
        #expect(cli.stdout.contains("GET /a 200 0.003"), "\(cli.stdout) \(cli.stderr)")
        // A literal + still arrives as %2B.
        let plus = try NodeHTTP.query(port: http, #"{app="nginx"} |= "a+b""#)
        #expect(plus.status == 200)
        #expect(plus.messages.isEmpty)
        // Other bodies are refused with what to send.
        let json = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/curl"), [
            "-sS", "--cacert", setup.pki.caFile, "-H", "Content-Type: application/json", "-H", "Authorization: Bearer token-for-acme", "--data", "{}",
            "-w", "\n%{http_code}", "https://127.0.0.1:\(http)/api/v1/query_range",
        ])
        #expect(json.stdout.hasSuffix("415"), "\(json.stdout)")
        #expect(json.stdout.contains("x-www-form-urlencoded"))
    }
}
