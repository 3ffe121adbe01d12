import Testing
import TributaryFormats
import TributaryModel
import TributaryTestSupport
@testable import TributaryAgent

/// How the prometheus input names its targets and labels their series:
/// file_sd groups, honor_labels and exported_ names, external labels.
@Suite struct ScrapeTargetTests {
    static let settings = PrometheusInputSettings(job: "node")

    @Test func fileSDGroupsInJSONAndYAMLBecomeTargetsWithTheirLabels() throws {
        let json = try ScrapeTargetFile.parse("""
            [{"targets": ["10.0.0.1:9100", "[::1]:9100"], "labels": {"env": "prod", "__metrics_path__": "/m", "job": "edge"}},
             {"targets": ["10.0.0.2:9100"]}]
            """, file: "a.json")
        let yaml = try ScrapeTargetFile.parse("""
            - targets: [10.0.0.3:9100]
              labels: {__scheme__: https}
            """, file: "b.yaml")
        let first = ScrapeTarget.make(addresses: json[0].targets, groupLabels: json[0].labels, settings: Self.settings, inputLabels: [("team", "a")])
        #expect(first.problems.isEmpty)
        #expect(first.targets.map(\.url) == ["http://10.0.0.1:9100/m", "http://[::1]:9100/m"])
        #expect(first.targets[0].labels == [KeyValue("env", "prod"), KeyValue("instance", "10.0.0.1:9100"), KeyValue("job", "edge"), KeyValue("team", "a")])
        let second = ScrapeTarget.make(addresses: json[1].targets, groupLabels: json[1].labels, settings: Self.settings, inputLabels: [])
        #expect(second.targets[0].labels == [KeyValue("instance", "10.0.0.2:9100"), KeyValue("job", "node")])
        let third = ScrapeTarget.make(addresses: yaml[0].targets, groupLabels: yaml[0].labels, settings: Self.settings, inputLabels: [])
        #expect(third.targets.map(\.url) == ["https://10.0.0.3:9100/metrics"])
        #expect(try ScrapeTargetFile.parse("", file: "empty.json").isEmpty)
    }

    @Test(arguments: [
        (#"{"targets": []}"#, "expected a list of target groups"),
        (#"[{"targets": "h:1"}]"#, "group 1 (line 1): targets must be a list of host:port"),
        (#"[{"targets": ["h:1"], "labels": {"1x": "y"}}]"#, "\"1x\" is not a label name"),
        (#"[{"targets": ["h:1"], "lables": {}}]"#, "unknown key \"lables\""),
        ("[{", "neither JSON nor YAML"),
    ])
    func badTargetFilesSayWhatIsWrong(text: String, says: String) {
        #expect(throws: ScrapeTargetFile.Failure.self) { try ScrapeTargetFile.parse(text, file: "t.json") }
        do {
            _ = try ScrapeTargetFile.parse(text, file: "t.json")
        } catch {
            #expect(error.description.hasPrefix("t.json") && error.description.contains(says), "\(error)")
        }
    }

    @Test func aTargetThatIsNotHostPortIsAProblemNotACrash() {
        let made = ScrapeTarget.make(addresses: ["nohost", "h:0", "h:99999", "a b:1", "h\r\nX-Evil: 1:80", "ok:1"], groupLabels: [],
                                     settings: Self.settings, inputLabels: [])
        #expect(made.targets.map(\.url) == ["http://ok:1/metrics"])
        #expect(made.problems.count == 5)
    }

    @Test func honorLabelsFalseExportsTheSeriesOwnClashingLabels() throws {
        let target = [KeyValue("instance", "h:1"), KeyValue("job", "node")]
        let agent = try Labels(["host": "web-1", "env": "prod"])
        let labeler = ScrapeLabeler(targetLabels: target, agentLabels: agent, honorLabels: false)
        let labels = try #require(labeler.labels([KeyValue("job", "inner"), KeyValue("exported_job", "x"), KeyValue("env", "dev"), KeyValue("empty", "")]))
        #expect(labels == (try Labels(["job": "node", "instance": "h:1", "exported_exported_job": "inner", "exported_job": "x",
                                       "env": "dev", "host": "web-1"])))
        let honoring = ScrapeLabeler(targetLabels: target, agentLabels: agent, honorLabels: true)
        #expect(honoring.labels([KeyValue("job", "inner")]) == (try Labels(["job": "inner", "instance": "h:1", "env": "prod", "host": "web-1"])))
        #expect(honoring.reportLabels == (try Labels(["job": "node", "instance": "h:1", "env": "prod", "host": "web-1"])))
    }

    @Test func aSeriesWithMoreLabelsThanARecordCarriesFailsTheScrape() throws {
        let target = ScrapeTarget(host: "h", port: 1, scheme: "http", path: "/metrics", labels: [])
        let many = try Labels((0..<65).map { Label("l\($0)", "v") })
        #expect(throws: ScrapeFailure.self) { try ScrapeLoop.checkLabels(many, of: "m", target: target) }
        do {
            try ScrapeLoop.checkLabels(many, of: "m", target: target)
        } catch {
            #expect(error.reason == .labelLimit && error.message.contains("the series m has 65 labels"), "\(error)")
        }
        let longName = try Labels([Label(String(repeating: "n", count: 129), "v")])
        #expect(throws: ScrapeFailure.self) { try ScrapeLoop.checkLabels(longName, of: "m", target: target) }
        try ScrapeLoop.checkLabels(try Labels((0..<64).map { Label("l\($0)", "v") }), of: "m", target: target)
    }

    @Test func targetsAreSpreadOverTheIntervalAtStableOffsets() {
        let targets = (1...200).map { ScrapeTarget(host: "10.0.0.\($0)", port: 9100, scheme: "http", path: "/metrics", labels: [KeyValue("job", "node")]) }
        let offsets = targets.map { ScrapeLoop.offset(of: $0, in: .seconds(15)) }
        #expect(offsets.allSatisfy { (0..<15_000_000_000).contains($0) })
        #expect(offsets == targets.map { ScrapeLoop.offset(of: $0, in: .seconds(15)) }, "the same at every start")
        // Spread: every tenth of the interval holds some of the 200 targets.
        #expect(Set(offsets.map { $0 / 1_500_000_000 }).count == 10)
    }

    @Test func theExampleTargetFileInDeployReads() throws {
        let path = RepositoryPaths.root.appendingPathComponent("deploy/integrations/scrape/targets/web.json").path
        let groups = try ScrapeTargetFile.read(path)
        let targets = groups.flatMap { group in
            ScrapeTarget.make(addresses: group.targets, groupLabels: group.labels, settings: Self.settings, inputLabels: []).targets
        }
        #expect(targets.map(\.url) == ["http://10.0.0.11:9100/metrics", "http://10.0.0.12:9100/metrics", "http://10.0.0.21:8080/internal/metrics"])
        #expect(targets.allSatisfy { $0.labels.contains(KeyValue("job", "node")) && $0.labels.contains { $0.key == "role" } })
    }
}
