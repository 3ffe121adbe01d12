import Testing
import TributaryConfig
@testable import TributaryNode

/// `query:` in node.yaml: defaults, values, and mistakes named.
@Suite struct QuerySettingsTests {
    static let base = "node_id: n\ndata_dir: /d\ninsecure: true\ntenants: [{name: t, tokens: [abcdefgh]}]\n"

    static func read(_ yaml: String) throws(ConfigError) -> NodeConfiguration {
        try NodeConfiguration.read(ConfigReader.parse(yaml, file: "node.yaml", environment: [:]), relativeTo: "/etc/tributary")
    }

    @Test func defaultsApplyWithoutASection() throws {
        let settings = try Self.read(Self.base).query
        #expect(settings == QuerySettings())
        #expect(settings.timeout == .seconds(120))
        #expect(settings.maxConcurrency == 4 && settings.maxConcurrencyPerTenant == 2)
        #expect(settings.queueTimeout == .seconds(10))
        #expect(settings.maxSamples == 50_000_000)
    }

    @Test func valuesAreRead() throws {
        let settings = try Self.read(Self.base + "query:\n  timeout: 30s\n  max_concurrency: 8\n  max_concurrency_per_tenant: 3\n  queue_timeout: 500ms\n  max_samples: 2000000\n").query
        #expect(settings.timeout == .seconds(30))
        #expect(settings.maxConcurrency == 8)
        #expect(settings.maxConcurrencyPerTenant == 3)
        #expect(settings.queueTimeout == .milliseconds(500))
        #expect(settings.maxSamples == 2_000_000)
    }

    @Test(arguments: [
        ("query:\n  timout: 2m\n", "timout: unknown key"),
        ("query:\n  timeout: 10ms\n", "at least 100ms"),
        ("query:\n  timeout: soon\n", "timeout"),
        ("query:\n  max_concurrency: 0\n", "max_concurrency"),
        ("query:\n  max_concurrency_per_tenant: -1\n", "max_concurrency_per_tenant"),
        ("query:\n  max_samples: 10\n", "max_samples"),
    ])
    func mistakesAreNamed(yaml: String, message: String) {
        do {
            _ = try Self.read(Self.base + yaml)
            Issue.record("accepted \(yaml)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func aChangedQuerySectionIsReportedOnReload() throws {
        let old = try Self.read(Self.base)
        let new = try Self.read(Self.base + "query:\n  timeout: 30s\n")
        #expect(old.changesNeedingRestart(new).contains("query"))
    }
}
