import Testing
import TributaryConfig
@testable import TributaryNode

/// node.yaml's tokens with roles, certificate names with roles, tenant
/// limits and the `http:` section.
@Suite struct NodeAccessConfigurationTests {
    static func read(_ tenants: String, extra: String = "") throws(ConfigError) -> NodeConfiguration {
        let yaml = """
            node_id: node-a
            data_dir: data
            insecure: true
            tenants:
            \(tenants)
            \(extra)
            """
        return try NodeConfiguration.read(ConfigReader.parse(yaml, file: "node.yaml", environment: ["GRAFANA": "grafana-token-1"]),
                                          relativeTo: "/etc/tributary")
    }

    @Test func plainTokensKeepIngestAndQueryAndTheLongFormGivesRoles() throws {
        let configuration = try Self.read("""
              - name: acme
                tokens:
                  - agent-token-1
                  - {token: "${GRAFANA}", roles: [query]}
                  - {token: ops-token-1, roles: [admin, query]}
                certificate_names: [agent-1, {name: dashboards, roles: [query]}]
            """)
        let credentials = configuration.credentials
        #expect(credentials.identity(token: "agent-token-1")?.roles == [.ingest, .query])
        #expect(credentials.identity(token: "grafana-token-1")?.roles == [.query])
        #expect(credentials.identity(token: "ops-token-1")?.roles == [.admin, .query])
        #expect(credentials.identity(certificateName: "agent-1")?.roles == [.ingest, .query])
        #expect(credentials.identity(certificateName: "dashboards") == APIIdentity(tenant: "acme", roles: [.query], method: .certificate))
        #expect(configuration.http.metricsAuth, "metrics need credentials by default")
        #expect(configuration.tenantLimits.isEmpty)
    }

    @Test(arguments: [
        ("  - {name: a, tokens: [{token: abcdefgh, roles: [root]}]}", #"tenants[0].tokens[0].roles: unknown role "root": expected ingest, query or admin"#),
        ("  - {name: a, tokens: [{token: abcdefgh, roles: []}]}", "roles: is empty"),
        ("  - {name: a, tokens: [{token: abcdefgh, role: [query]}]}", "tenants[0].tokens[0].role: unknown key `role`, did you mean `roles`?"),
        ("  - {name: a, tokens: [{roles: [query]}]}", "tenants[0].tokens[0].token: is required"),
        ("  - {name: a, tokens: [[abcdefgh]]}", "tenants[0].tokens[0]: expected tokens, or {token"),
        ("  - {name: a, tokens: [abcdefgh], limits: {ingest_burst_bytes: 1MiB}}", "ingest_burst_bytes: needs ingest_bytes_per_second"),
        ("  - {name: a, tokens: [abcdefgh], limits: {ingest_bytes_per_sec: 1MiB}}", "tenants[0].limits.ingest_bytes_per_sec: unknown key"),
        ("  - {name: a, tokens: [abcdefgh], limits: {ingest_bytes_per_second: lots}}", "expected a size"),
        ("  - {name: a, tokens: [abcd efgh]}", "contains whitespace"),
    ])
    func mistakesAreNamed(tenants: String, message: String) {
        do {
            _ = try Self.read(tenants)
            Issue.record("accepted \(tenants)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func limitsAndTheHTTPSectionRead() throws {
        let configuration = try Self.read("""
              - name: acme
                tokens: [abcdefgh]
                limits: {ingest_bytes_per_second: 50MiB, ingest_burst_bytes: 100MiB}
              - name: beta
                tokens: [ijklmnop]
            """, extra: "http: {metrics_auth: false}")
        #expect(configuration.tenantLimits == ["acme": TenantLimits(ingestBytesPerSecond: 50 << 20, ingestBurstBytes: 100 << 20)])
        #expect(!configuration.http.metricsAuth)
        #expect { try Self.read("  - {name: a, tokens: [abcdefgh]}", extra: "http: {metric_auth: false}") } throws: {
            "\($0)".contains("http.metric_auth: unknown key")
        }
    }

    @Test func changedRolesOrLimitsNeedARestart() throws {
        let before = try Self.read("  - {name: a, tokens: [abcdefgh]}")
        let roles = try Self.read("  - {name: a, tokens: [{token: abcdefgh, roles: [query]}]}")
        let limits = try Self.read("  - {name: a, tokens: [abcdefgh], limits: {ingest_bytes_per_second: 1MiB}}")
        #expect(before.changesNeedingRestart(roles) == ["tenants"])
        #expect(before.changesNeedingRestart(limits) == ["tenants"])
        #expect(before.changesNeedingRestart(try Self.read("  - {name: a, tokens: [abcdefgh]}", extra: "http: {metrics_auth: false}")) == ["http"])
    }
}
