import Foundation
import Testing
import TributaryStorage
import TributaryConfig
import TributaryNode
import TributaryTestSupport

@Suite struct NodeConfigurationTests {
    static let valid = """
        node_id: node-a
        listen: 127.0.0.1:0
        data_dir: data
        tls:
          certificate: certs/node-a.pem
          key: certs/node-a.key
        tenants:
          - name: acme
            tokens: ["${ACME_TOKEN}"]
            certificate_names: [agent-1]
        limits:
          max_frame_bytes: 4MiB
          window: 32
        """

    static func read(_ yaml: String) throws(ConfigError) -> NodeConfiguration {
        try NodeConfiguration.read(ConfigReader.parse(yaml, file: "node.yaml", environment: ["ACME_TOKEN": "a-long-token"]), relativeTo: "/etc/tributary")
    }

    @Test func aValidConfigurationReadsWithRelativePathsResolved() throws {
        let configuration = try Self.read(Self.valid)
        #expect(configuration.nodeID == "node-a")
        #expect(configuration.listenHost == "127.0.0.1" && configuration.listenPort == 0)
        #expect(configuration.dataDirectory == "/etc/tributary/data")
        #expect(configuration.tls?.certificateChainFile == "/etc/tributary/certs/node-a.pem")
        #expect(configuration.credentials.tokens == ["a-long-token": "acme"])
        #expect(configuration.credentials.certificateNames == ["agent-1": "acme"])
        #expect(configuration.limits.maxFrameBytes == 4 << 20)
        #expect(configuration.window == 32)
    }

    /// A misspelt `tls:` used to be reported as "tls: is required".
    @Test func aMisspeltTLSSectionIsNamedAsATypo() {
        #expect { try Self.read(Self.valid.replacingOccurrences(of: "tls:", with: "tsl:")) } throws: { error in
            "\(error)".contains("node.yaml:4: tsl: unknown key `tsl`, did you mean `tls`?")
        }
    }

    @Test(arguments: [
        ("listen: nowhere", "listen: expected host:port such as 0.0.0.0:7400 or [::]:7400, found \"nowhere\""),
        ("insecure: true", "insecure: is true but a tls section is configured: choose one"),
        ("colour: blue", "colour: unknown key"),
    ])
    func mistakesAreNamed(line: String, message: String) {
        let yaml = Self.valid.replacingOccurrences(of: "listen: 127.0.0.1:0", with: line.hasPrefix("listen") ? line : "listen: 127.0.0.1:0\n" + line)
        do {
            _ = try Self.read(yaml)
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func tlsIsRequiredUnlessExplicitlyInsecure() throws {
        let withoutTLS = """
            node_id: n
            data_dir: /d
            tenants: [{name: t, tokens: [abcdefgh]}]
            """
        #expect(throws: ConfigError.self) { try Self.read(withoutTLS) }
        let insecure = try Self.read(withoutTLS + "\ninsecure: true")
        #expect(insecure.insecure && insecure.tls == nil)
    }

    @Test func theExampleInDeployLoads() throws {
        let path = RepositoryPaths.root.appendingPathComponent("deploy/node.yaml").path
        let configuration = try NodeConfiguration.load(path: path, environment: ["TRIB_DEFAULT_TOKEN": "example-token-123"])
        #expect(configuration.nodeID == "node-a")
        #expect(configuration.credentials.tokens == ["example-token-123": "default"])
        #expect(configuration.recordBounds == RecordBounds())
        #expect(configuration.httpPort == 7401)
        let ninetyDays: Int64 = 90 * 86_400 * 1_000_000_000
        #expect(configuration.storage.tenantRetention["default"] == ninetyDays)
        #expect(configuration.maxDiskBytes == 500 << 30)
    }

    @Test func theClusterExampleInDeployLoadsWithItsTopology() throws {
        let path = RepositoryPaths.root.appendingPathComponent("deploy/node-cluster.yaml").path
        let configuration = try NodeConfiguration.load(path: path, environment: ["TRIB_DEFAULT_TOKEN": "example-token-123",
                                                                                 "TRIB_ADMIN_TOKEN": "example-admin-456"])
        #expect(configuration.credentials.tokenRoles == ["example-admin-456": [.admin]])
        let cluster = try #require(configuration.cluster)
        #expect(cluster.topology.activeMembers == ["node-a", "node-b", "node-c"])
        #expect(cluster.topology.replicationFactor == 2 && cluster.topology.writeQuorum == 2)
        #expect(cluster.peerPort == 7410 && cluster.requestTimeout == .seconds(10) && cluster.repairInterval == .seconds(60))
        #expect(configuration.storage.span == cluster.topology.partitionSpan)
    }

    @Test func aClusterNeedsItsCAAndTheTopologysSpan() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-cluster-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            partition_span: 1h
            nodes: [{id: n, peer: 127.0.0.1:7410}]
            epochs: [{nodes: [n]}]
            """.write(to: directory.appendingPathComponent("topology.yaml"), atomically: true, encoding: .utf8)
        func load(_ text: String) throws -> NodeConfiguration {
            let file = directory.appendingPathComponent("node.yaml").path
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            return try NodeConfiguration.load(path: file, environment: [:])
        }
        let base = "node_id: n\ndata_dir: d\ntenants: [{name: t, tokens: [abcdefgh]}]\ncluster:\n  topology: topology.yaml\n"
        #expect(try load(base + "insecure: true\n").cluster?.topology.activeMembers == ["n"])
        #expect { try load(base + "tls: {certificate: c.pem, key: c.key}\n") } throws: { "\($0)".contains("ca: is required in a cluster") }
        #expect { try load(base + "insecure: true\nstorage: {partition_span: 2h}\n") } throws: { "\($0)".contains("differs from the topology's partition_span") }
        #expect { try load(base + "  peers: x\ninsecure: true\n") } throws: { "\($0)".contains("cluster.peers: unknown key") }
        #expect { try load(base.replacingOccurrences(of: "topology.yaml", with: "missing.yaml") + "insecure: true\n") } throws: {
            "\($0)".contains("missing.yaml") && "\($0)".contains("cannot read the file")
        }
    }

    @Test func storageSettingsHaveUnitsDefaultsAndBounds() throws {
        let base = "node_id: n\ndata_dir: /d\ninsecure: true\ntenants: [{name: t, tokens: [abcdefgh], retention: 2d}]\n"
        let defaults = try Self.read(base)
        #expect(defaults.storage == { var settings = PartitionSettings(); settings.tenantRetention = ["t": 2 * 86_400 * 1_000_000_000]; return settings }())
        #expect(defaults.minFreeBytes == 256 << 20 && defaults.maxDiskBytes == 0)
        #expect(defaults.httpHost == "127.0.0.1")
        let custom = try Self.read(base + "storage:\n  partition_span: 2h\n  seal_grace: 0s\n  flush_interval: 500ms\n  min_free_bytes: 1GiB\n")
        #expect(custom.storage.span == 7200 * 1_000_000_000)
        #expect(custom.storage.sealGrace == 0)
        #expect(custom.storage.flushInterval == 500_000_000)
        #expect(custom.minFreeBytes == 1 << 30)
        #expect(throws: ConfigError.self) { try Self.read(base + "storage:\n  partition_span: 10s\n") }
        #expect(throws: ConfigError.self) { try Self.read(base + "storage:\n  retention: forever\n") }
        #expect(throws: ConfigError.self) { try Self.read(base + "http_listen: nowhere\n") }
    }

    @Test func tokensMustBeLongAndUnique() {
        let base = "node_id: n\ndata_dir: /d\ninsecure: true\n"
        #expect(throws: ConfigError.self) { try Self.read(base + "tenants: [{name: t, tokens: [short]}]") }
        #expect(throws: ConfigError.self) { try Self.read(base + "tenants: [{name: a, tokens: [abcdefghij]}, {name: b, tokens: [abcdefghij]}]") }
        #expect(throws: ConfigError.self) { try Self.read(base + "tenants: []") }
    }
}
