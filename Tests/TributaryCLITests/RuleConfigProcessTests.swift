import Foundation
import Testing
import TributaryTestSupport

/// Rule files named from node.yaml: checked by `trib check-config` with
/// file, line and key, and re-read by a running node at SIGHUP.
@Suite struct RuleConfigProcessTests {
    static func group(_ name: String, expr: String = "vector(1)") -> String {
        """
        groups:
          - name: \(name)
            interval: 1s
            rules:
              - alert: Always
                expr: \(expr)
                annotations:
                  summary: "always {{ $value }}"
        """
    }

    static func groupNames(_ http: Int) throws -> [String] {
        let rules = try NodeHTTP.get(port: http, "/api/v1/rules").json
        return ((rules["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    @Test func checkConfigReportsABadRuleFileWithFileLineAndKey() throws {
        let setup = try NodeSetup(extra: "rules: [rules/*.yaml]")
        let directory = setup.directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.group("good").write(toFile: directory.appendingPathComponent("good.yaml").path, atomically: true, encoding: .utf8)
        let valid = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", setup.configFile])
        #expect(valid.status == 0, "\(valid.stderr)")
        #expect(valid.stdout.contains("1 rule group"), "\(valid.stdout)")

        try Self.group("bad", expr: "rate(x[5m]").write(toFile: directory.appendingPathComponent("bad.yaml").path, atomically: true, encoding: .utf8)
        let invalid = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", setup.configFile])
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("bad.yaml:6: groups[0].rules[0].expr:"), "\(invalid.stderr)")

        let missing = try NodeSetup(extra: "rules: [nowhere.yaml]")
        let absent = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", missing.configFile])
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("rules: rule file") && absent.stderr.contains("nowhere.yaml does not exist"), "\(absent.stderr)")
    }

    @Test func sighupReloadsRuleFilesAndKeepsTheOldOnesWhenTheNewAreBroken() async throws {
        let setup = try NodeSetup(extra: "rules: [rules.yaml]")
        let file = setup.directory.appendingPathComponent("rules.yaml").path
        try Self.group("first").write(toFile: file, atomically: true, encoding: .utf8)
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        #expect(try Self.groupNames(http) == ["first"])
        try await waitFor("the alert of the first group") {
            let alerts = try NodeHTTP.get(port: http, "/api/v1/alerts").json
            return ((alerts["data"] as? [String: Any])?["alerts"] as? [Any])?.count == 1
        }

        try (Self.group("first") + "\n" + Self.group("second").replacingOccurrences(of: "groups:\n", with: ""))
            .write(toFile: file, atomically: true, encoding: .utf8)
        node.signal(SIGHUP)
        try await waitFor("both groups after SIGHUP") { try Self.groupNames(http) == ["first", "second"] }
        // The group that stayed kept its alert (same activeAt).
        let alerts = try NodeHTTP.get(port: http, "/api/v1/alerts").json
        #expect(((alerts["data"] as? [String: Any])?["alerts"] as? [Any])?.isEmpty == false)

        try Self.group("third", expr: "sum(").write(toFile: file, atomically: true, encoding: .utf8)
        node.signal(SIGHUP)
        _ = try await node.waitForLine { $0.contains("no longer loads") && $0.contains("rules.yaml") }
        #expect(try Self.groupNames(http) == ["first", "second"])
    }

    @Test func aRuleOverItsGroupsLimitFailsAndSaysWhyInItsHealth() async throws {
        let setup = try NodeSetup(extra: "rules: [rules.yaml]")
        try """
            groups:
              - name: limited
                interval: 1s
                limit: 1
                rules:
                  - record: two_series
                    expr: vector(1) or label_replace(vector(2), "copy", "yes", "", "")
                  - record: one_series
                    expr: vector(3)
            """.write(toFile: setup.directory.appendingPathComponent("rules.yaml").path, atomically: true, encoding: .utf8)
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        var rules: [[String: Any]] = []
        try await waitFor("both rules evaluated") {
            let answer = try NodeHTTP.get(port: http, "/api/v1/rules").json
            rules = ((answer["data"] as? [String: Any])?["groups"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]] ?? []
            return rules.count == 2 && rules.allSatisfy { $0["health"] as? String != "unknown" }
        }
        #expect(rules.map { $0["health"] as? String } == ["err", "ok"])
        #expect((rules[0]["lastError"] as? String)?.contains("returned 2 series, more than the group's limit of 1") == true, "\(rules[0])")
        #expect(try NodeHTTP.get(port: http, "/metrics").body.contains("tributary_rules_failing 1"))
        #expect(try NodeHTTP.query(port: http, "two_series", ["time": "now"]).body.contains("\"result\":[]"))
    }

    func waitFor(_ what: String, timeout: Double = 30, _ condition: () throws -> Bool) async throws {
        let deadline = Date() + timeout
        while (try? condition()) != true {
            guard Date() < deadline else { throw WebhookReceiverTimeout(description: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
