import Foundation
import Testing
import TributaryConfig
import TributaryNode

/// `rules:` and `alerting:` of node.yaml: receivers, tenants of rule
/// files, and errors naming the key.
@Suite struct AlertingSettingsTests {
    static let base = """
        node_id: node-a
        listen: 127.0.0.1:0
        data_dir: data
        insecure: true
        tenants:
          - name: acme
            tokens: [a-long-token-1]
        """

    static func read(_ extra: String, tenants: String = "", directory: String = "/nonexistent") throws(ConfigError) -> NodeConfiguration {
        try NodeConfiguration.read(ConfigReader.parse(base + tenants + "\n" + extra, file: "node.yaml", environment: ["TOKEN": "t0ken"]),
                                   relativeTo: directory)
    }

    func failure(_ extra: String, tenants: String = "") -> ConfigError? {
        do { _ = try Self.read(extra, tenants: tenants); return nil } catch { return error }
    }

    @Test func receiversAndSettingsAreRead() throws {
        let configuration = try Self.read("""
            alerting:
              resend_delay: 30s
              evaluation_interval: 15s
              external_labels: {cluster: eu-1}
              timeout: 3s
              alertmanagers:
                - http://127.0.0.1:9093
                - {url: "https://am.example.com/prefix/", bearer_token: "${TOKEN}", timeout: 1s}
              webhooks: ["http://hooks.example.com:8080/x?y=1"]
            """)
        let alerting = configuration.alerting
        #expect(alerting.resendDelay == 30_000_000_000 && alerting.evaluationInterval == 15_000_000_000)
        #expect(alerting.externalLabels == ["cluster": "eu-1"])
        #expect(alerting.alertmanagers.map(\.path) == ["/api/v2/alerts", "/prefix/api/v2/alerts"])
        #expect(alerting.alertmanagers.map(\.port) == [9093, 443])
        #expect(alerting.alertmanagers[1].isTLS && alerting.alertmanagers[1].bearerToken == "t0ken")
        #expect(alerting.alertmanagers.map(\.timeout) == [.seconds(3), .seconds(1)])
        #expect(alerting.webhooks.first?.path == "/x?y=1" && alerting.webhooks.first?.port == 8080)
        #expect(configuration.rules.isEmpty)
    }

    @Test func ruleFilesAreReadForTheirTenant() throws {
        let directory = NSTemporaryDirectory() + "rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/rules", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["a", "b"] {
            try "groups:\n  - name: \(name)\n    rules:\n      - record: x\n        expr: vector(1)\n"
                .write(toFile: directory + "/rules/\(name).yaml", atomically: true, encoding: .utf8)
        }
        let single = try Self.read("rules: [rules/*.yaml]", directory: directory)
        #expect(single.rules.map(\.name) == ["a", "b"])
        #expect(single.rules.allSatisfy { $0.tenant == "acme" && $0.interval == 60_000_000_000 })
        let two = "\n  - name: beta\n    tokens: [another-token-2]"
        let named = try Self.read("rules: [{tenant: beta, files: [rules/a.yaml]}]", tenants: two, directory: directory)
        #expect(named.rules.map(\.tenant) == ["beta"])
    }

    @Test func mistakesNameTheirKey() {
        #expect(failure("alerting:\n  alertmanagers: [ftp://x]")?.path == "alerting.alertmanagers")
        #expect(failure("alerting:\n  webhooks: [{url: http://x, bearer_token: a, bearer_token_file: b}]")?.path
                == "alerting.webhooks[0].bearer_token_file")
        #expect(failure("alerting:\n  resend_delay: 10ms")?.path == "alerting.resend_delay")
        #expect(failure("alerting:\n  webhook: [http://x]")?.message.contains("did you mean `webhooks`") == true)
        #expect(failure("rules: [missing.yaml]")?.message.contains("does not exist") == true)
        #expect(failure("rules: [{tenant: nobody, files: [a.yaml]}]")?.path == "rules[0].tenant")
        let two = "\n  - name: beta\n    tokens: [another-token-2]"
        #expect(failure("rules: [a.yaml]", tenants: two)?.message.contains("name the tenant") == true)
    }
}
