import Foundation
import Testing
import TributaryTestSupport

/// The other tools' configurations in `deploy/integrations/` that a tool
/// here can check: Prometheus' with `promtool check config`, every YAML
/// one by parsing it (PyYAML) and finding the node's push path in it.
@Suite struct IntegrationSnippetTests {
    static let directory = RepositoryPaths.root.appendingPathComponent("deploy/integrations")

    @Test func thePrometheusSnippetPassesPromtool() throws {
        let file = Self.directory.appendingPathComponent("prometheus/prometheus.yml").path
        let result = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["promtool", "check", "config", file])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect((result.stdout + result.stderr).contains("SUCCESS"))
    }

    @Test func everyYAMLSnippetParsesAndNamesAPushPath() throws {
        let snippets: [(String, String)] = [
            ("prometheus/prometheus.yml", "/api/v1/write"),
            ("promtail/promtail.yaml", "/loki/api/v1/push"),
            ("fluent-bit/fluent-bit.yaml", "/loki/api/v1/push"),
            ("vector/vector.yaml", "/loki/api/v1/push"),
            ("otel-collector/otel-collector.yaml", "otlphttp"),
        ]
        for (path, needle) in snippets {
            let file = Self.directory.appendingPathComponent(path).path
            let script = "import sys, yaml, json; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"
            let result = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, file])
            #expect(result.status == 0, "\(path): \(result.stderr)")
            let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            #expect(parsed?.isEmpty == false, "\(path) parses to nothing")
            #expect(result.stdout.contains(needle), "\(path) does not mention \(needle)")
        }
    }
}
