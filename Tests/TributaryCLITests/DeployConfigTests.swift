import Foundation
import Testing
import TributaryTestSupport

/// Every Tributary configuration in `deploy/` passes `trib check-config`,
/// with the environment variables the deployment provides.
@Suite struct DeployConfigTests {
    static let files: [(path: String, says: String)] = [
        ("deploy/node.yaml", "valid node configuration"),
        ("deploy/node-cluster.yaml", "cluster topology"),
        ("deploy/topology.yaml", "valid cluster topology"),
        ("deploy/agent.yaml", "valid agent configuration"),
        ("deploy/kubernetes/node.yaml", "cluster topology"),
        ("deploy/kubernetes/topology.yaml", "valid cluster topology"),
        ("deploy/kubernetes/agent.yaml", "valid agent configuration"),
        ("deploy/rules/hosts.yaml", "valid rule file"),
        ("deploy/rules/logs.yaml", "valid rule file"),
        ("deploy/integrations/scrape/agent.yaml", "valid agent configuration"),
        ("deploy/rules/anomalies.yaml", "valid rule file"),
    ]

    @Test func everyExampleConfigurationPassesCheckConfig() throws {
        // What systemd's EnvironmentFile and the Kubernetes manifests set.
        for (name, value) in ["TRIB_DEFAULT_TOKEN": "example-token-123", "TRIB_TOKEN": "example-token-123", "TRIB_ADMIN_TOKEN": "example-admin-456",
                              "POD_NAME": "trib-node-1", "NODE_NAME": "worker-1"] {
            setenv(name, value, 1)
        }
        var checked = Set<String>()
        for (path, says) in Self.files {
            let file = RepositoryPaths.root.appendingPathComponent(path).path
            let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", file])
            #expect(result.status == 0, "\(path): \(result.stderr)")
            #expect(result.stdout.contains(says), "\(path): \(result.stdout)")
            checked.insert(path)
        }
        // A new configuration in deploy/ must be added above.
        let enumerator = FileManager.default.enumerator(atPath: RepositoryPaths.root.appendingPathComponent("deploy").path)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".yaml") else { continue }
            let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("deploy/" + relative), encoding: .utf8)
            let isTributary = !text.contains("apiVersion:") && !text.contains("stages:") && !relative.hasPrefix("ci/")
                && !relative.hasPrefix("integrations/")  // other tools' configurations: IntegrationSnippetTests
            if isTributary { #expect(checked.contains("deploy/" + relative), "deploy/\(relative) is not checked here") }
        }
    }
}
