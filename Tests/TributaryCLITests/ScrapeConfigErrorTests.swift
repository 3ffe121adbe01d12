import Foundation
import Testing
import TributaryTestSupport

/// `trib check-config` on a broken `type: prometheus` input: exit 1 with
/// the file, line, key and what to do, as for every other input; and the
/// scrape example in deploy/integrations passes.
@Suite struct ScrapeConfigErrorTests {
    static let base = """
        nodes: [127.0.0.1:7400]
        token: abcdefgh12345
        tls: {ca: ca.pem}
        state_dir: state
        inputs:
          - type: prometheus
            targets: [127.0.0.1:9100]
            interval: 15s
        """

    @Test(arguments: [
        ("targets: [127.0.0.1:9100]", "targets: [http://127.0.0.1:9100/metrics]",
         "agent.yaml:7: inputs[0].targets: expected host:port such as 127.0.0.1:9100 (scheme and path are the keys scheme and metrics_path)"),
        ("targets: [127.0.0.1:9100]", "labels: {a: b}", "inputs[0].targets: a prometheus input needs targets (host:port list) or files"),
        ("interval: 15s", "interval: 15s\n    timeout: 30s", "agent.yaml:9: inputs[0].timeout: must be more than 0 and at most interval"),
        ("interval: 15s", "interval: 15s\n    scheme: ftp", "inputs[0].scheme: expected http or https, found \"ftp\""),
        ("interval: 15s", "interval: 15s\n    sample_limit: 0", "inputs[0].sample_limit: expected a whole number from 1 to 1000000"),
        ("interval: 15s", "interval: 15s\n    metrics_path: metrics", "inputs[0].metrics_path: expected a path starting with /"),
        ("interval: 15s", "interval: 15s\n    honour_labels: true", "inputs[0].honour_labels: unknown key `honour_labels`, did you mean `honor_labels`?"),
        ("interval: 15s", "interval: 15s\n    tls: {certificate: a.pem}", "inputs[0].tls.key: a client certificate needs both tls.certificate and tls.key"),
        ("interval: 15s", "interval: 15s\n    bearer_token: x\n    bearer_token_file: t", "inputs[0].bearer_token_file: bearer_token and bearer_token_file are both set"),
        ("interval: 15s", "interval: 15s\n    body_size_limit: huge", "inputs[0].body_size_limit: expected a size such as 512KiB"),
        ("interval: 15s", "interval: 15s\n    bearer_token: \"a\\nHost: evil\"", "inputs[0].bearer_token: must be one token: not empty, no line breaks"),
    ])
    func aBadPrometheusInputNamesTheKey(replace: String, with replacement: String, expected: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-scrape-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("agent.yaml").path
        try Self.base.write(toFile: file, atomically: true, encoding: .utf8)
        let valid = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", file])
        #expect(valid.status == 0 && valid.stdout.contains("1 input (prometheus-0)"), "\(valid.stdout)\(valid.stderr)")
        try Self.base.replacingOccurrences(of: replace, with: replacement).write(toFile: file, atomically: true, encoding: .utf8)
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func theScrapeExampleInDeployPasses() throws {
        setenv("TRIB_TOKEN", "example-token-123", 1)
        let file = RepositoryPaths.root.appendingPathComponent("deploy/integrations/scrape/agent.yaml").path
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("3 inputs (node-exporter, tributary-node, services)"), "\(result.stdout)")
    }
}
