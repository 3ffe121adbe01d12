import Foundation
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

/// Log patterns through a real node process: lines go in over the agent
/// protocol, patterns come out of `/loki/api/v1/patterns`, `trib patterns`
/// and PromQL, and stay across a restart; a damaged state file is a
/// warning, never a failed start.
extension AgentProcessTests {
@Suite struct LogPatternProcessTests {
    static let second: Int64 = 1_000_000_000
    static let now = Int64(Date().timeIntervalSince1970) * second
    /// Ten minutes ago on a minute boundary: where the growing pattern starts.
    static let growingStart = (now / (60 * second)) * 60 * second - 600 * second
    static let steady = "request served route=<*> latency_ms=<*>"
    static let growing = "cache size=<*> entries evicted=<*>"

    /// `checkout`: a steady pattern over 50 minutes, and a pattern new ten
    /// minutes ago that grows each minute; `billing` a pattern of its own.
    /// Every line at least two minutes old, so its one-minute bucket has
    /// ended by `now`.
    static func records() throws -> (records: [Record], steady: Int, growing: Int) {
        var records: [Record] = []
        var steady = 0
        var growing = 0
        let checkout = try Labels(["app": "checkout", "host": "c1"])
        for index in 0..<150 {
            let time = now - 3000 * second + Int64(index) * 19 * second
            records.append(.log(LogRecord(timestamp: time, labels: checkout, message: "request served route=/api/r\(index % 3) latency_ms=\(index * 7 % 300)")))
            steady += 1
        }
        for minute in 0..<8 {
            for count in 0..<(minute + 1) * 3 {
                let time = growingStart + Int64(minute) * 60 * second + Int64(count) * second
                records.append(.log(LogRecord(timestamp: time, labels: checkout, message: "cache size=\(1000 + minute * 50 + count) entries evicted=\(count)")))
                growing += 1
            }
        }
        for index in 0..<40 {
            records.append(.log(LogRecord(timestamp: now - 1200 * second + Int64(index) * second,
                                          labels: try Labels(["app": "billing"]), message: "invoice \(index) sent to customer \(index * 3)")))
        }
        return (records.sorted { $0.timestamp < $1.timestamp }, steady, growing)
    }

    static func patterns(_ http: Int, _ selector: String) throws -> [[String: Any]] {
        var components = URLComponents()
        components.path = "/loki/api/v1/patterns"
        components.queryItems = [
            URLQueryItem(name: "query", value: selector), URLQueryItem(name: "start", value: String(now / second - 3600)),
            URLQueryItem(name: "end", value: String(now / second)), URLQueryItem(name: "step", value: "60s"),
        ]
        let response = try NodeHTTP.get(port: http, components.url!.absoluteString)
        #expect(response.status == 200, "\(response.body)")
        #expect(response.json["status"] as? String == "success")
        return response.json["data"] as? [[String: Any]] ?? []
    }

    static func lines(_ entry: [String: Any]?) -> Int {
        (entry?["samples"] as? [[Int]] ?? []).reduce(0) { $0 + ($1.last ?? 0) }
    }

    @Test func patternsAreQueryableByLokiAPITribAndPromQLAndSurviveARestart() async throws {
        let (records, steady, growing) = try Self.records()
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        try await NodeQueryTests.send(records, port: port, caFile: setup.pki.caFile)

        // Loki's shape: one entry per pattern of the matching groups only.
        let mined = try Self.patterns(http, #"{app="checkout"}"#)
        let byPattern = Dictionary(mined.map { ($0["pattern"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(Set(byPattern.keys) == [Self.steady, Self.growing], "\(mined)")
        #expect(Self.lines(byPattern[Self.steady]) == steady)
        #expect(Self.lines(byPattern[Self.growing]) == growing)
        let growingSamples = (byPattern[Self.growing]?["samples"] as? [[Int]] ?? []).map { $0[1] }
        #expect(growingSamples == (0..<8).map { ($0 + 1) * 3 }, "one sample per minute, growing")
        let firstSeen = try #require(byPattern[Self.growing]?["first_seen"] as? Double)
        #expect(Int64(firstSeen) == Self.growingStart / Self.second)
        let growingID = try #require(byPattern[Self.growing]?["id"] as? String)
        #expect(try Self.patterns(http, #"{app="billing"}"#).map { $0["pattern"] as? String } == ["invoice <*> sent to customer <*>"])

        // Bad parameters are a 400 that says what to do; extreme times are no crash.
        let badStep = try NodeHTTP.get(port: http, "/loki/api/v1/patterns?step=1e300")
        #expect(badStep.status == 400 && (badStep.json["error"] as? String)?.contains("step must be a positive duration") == true, "\(badStep.body)")
        let badQuery = try NodeHTTP.get(port: http, "/loki/api/v1/patterns?query=sum(rate(x%5B5m%5D))")
        #expect(badQuery.status == 400, "\(badQuery.body)")
        let earliest = try NodeHTTP.get(port: http, "/loki/api/v1/patterns?start=1678-01-01T00:00:00Z&end=1678-01-01T00:10:00Z")
        #expect(earliest.status == 200 && (earliest.json["data"] as? [Any])?.isEmpty == true, "\(earliest.body)")

        // `trib patterns`: the table, with the new pattern marked new.
        let base = ["patterns", #"{app="checkout"}"#, "--node", "https://127.0.0.1:\(http)", "--ca", setup.pki.caFile, "--token", "token-for-acme"]
        let table = try ProcessResult.run(RepositoryPaths.tribExecutable, base + ["--since", "1h"])
        #expect(table.status == 0, "\(table.stderr)")
        let row = try #require(table.stdout.split(separator: "\n").first { $0.hasSuffix(Self.growing) }, "\(table.stdout)")
        #expect(row.contains("  new  ") && row.contains("  \(growing)  ") && row.hasPrefix(growingID), "\(row)")
        let json = try ProcessResult.run(RepositoryPaths.tribExecutable, base + ["--json", "--id", growingID])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((document?["data"] as? [[String: Any]])?.map { $0["pattern"] as? String } == [Self.growing], "\(json.stdout)")

        // PromQL over the pattern series.
        let promQL = #"sum by (pattern_id) (sum_over_time(tributary_log_pattern_lines{app="checkout"}[1h]))"#
        let vector = QueryLanguageProcessTests.vector(try QueryLanguageProcessTests.instant(port: http, promQL))
        #expect(vector[["pattern_id": growingID]] == Double(growing), "\(vector)")
        #expect(vector.values.reduce(0, +) == Double(steady + growing))

        // A restart keeps the patterns, their ids and first-seen times.
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: 10) == 0)
        #expect(FileManager.default.fileExists(atPath: setup.dataDirectory + "/patterns.json"))
        let (restarted, _, restartedHTTP) = try await setup.startWithHTTP()
        let again = try Self.patterns(restartedHTTP, #"{app="checkout"}"#)
        let growingAgain = again.first { $0["pattern"] as? String == Self.growing }
        #expect(growingAgain?["id"] as? String == growingID)
        #expect(Self.lines(growingAgain) == growing, "counted once, not again from the log")
        #expect(growingAgain?["first_seen"] as? Double == firstSeen)
        restarted.signal(SIGTERM)
        #expect(await restarted.waitForExit(timeout: 10) == 0)

        // A damaged state file: a clear warning, an empty start, a node that serves.
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: setup.dataDirectory + "/patterns.json"))
        let (damaged, _, damagedHTTP) = try await setup.startWithHTTP()
        defer { damaged.terminate() }
        #expect(try Self.patterns(damagedHTTP, #"{app="checkout"}"#).isEmpty)
        #expect(damaged.output.contains { $0.contains("patterns.json could not be read") }, "\(damaged.output)")
    }

    /// In a cluster each line is mined once, by the first replica of its
    /// partition: with RF 2 the three nodes' counts add up to the lines
    /// sent (the other replica stores the batch without inflating it).
    @Test func eachLineIsMinedOnceByItsPartitionsFirstReplica() async throws {
        let (records, steady, growing) = try Self.records()
        let cluster = try ClusterSetup(["node-a", "node-b", "node-c"])
        try await cluster.startAll()
        var counted: [String: Int] = [:]
        do {
            try await NodeQueryTests.send(records, port: cluster.node("node-a").agentPort, caFile: cluster.pki.caFile)
            for id in ["node-a", "node-b", "node-c"] {
                for entry in try Self.patterns(cluster.node(id).httpPort, #"{app="checkout"}"#) {
                    counted[entry["pattern"] as? String ?? "", default: 0] += Self.lines(entry)
                }
            }
        } catch {
            await cluster.stopAll()
            throw error
        }
        // Stopped before the test returns, so no node outlives it.
        await cluster.stopAll()
        #expect(counted == [Self.steady: steady, Self.growing: growing], "\(counted)")
    }
}
}
