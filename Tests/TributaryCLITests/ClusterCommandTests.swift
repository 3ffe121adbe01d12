import Foundation
import Testing
import TributaryTestSupport

/// `trib cluster add-node/remove-node` on a topology file and `trib
/// check-config` on topologies, as subprocesses.
@Suite struct ClusterCommandTests {
    static func topologyFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("topology-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let three = """
        replication_factor: 2
        partition_span: 1h
        nodes:
          - {id: node-a, peer: 10.0.0.1:7410}
          - {id: node-b, peer: 10.0.0.2:7410}
          - {id: node-c, peer: 10.0.0.3:7410}
        epochs:
          - nodes: [node-a, node-b, node-c]
        """

    @Test func addNodeAppendsAnEpochFromTheNextBucketAndCheckConfigAcceptsIt() throws {
        let file = try Self.topologyFile(Self.three)
        let added = try ProcessResult.run(RepositoryPaths.tribExecutable,
                                          ["cluster", "add-node", "--topology", file, "--id", "node-d", "--peer", "10.0.0.4:7410", "--zone", "z2"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("node node-d added from"), "\(added.stdout)")
        #expect(added.stdout.contains("4 nodes, 4 shards"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("nodes: [node-a, node-b, node-c, node-d]"), "\(text)")
        #expect(text.contains("zone: \"z2\""))

        let checked = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", file])
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains("valid cluster topology"), "\(checked.stdout)")
        #expect(checked.stdout.contains("4 nodes"))

        let again = try ProcessResult.run(RepositoryPaths.tribExecutable, ["cluster", "add-node", "--topology", file, "--id", "node-d", "--peer", "x:1"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("node node-d is already in the topology"), "\(again.stderr)")

        let past = try ProcessResult.run(RepositoryPaths.tribExecutable,
                                         ["cluster", "add-node", "--topology", file, "--id", "node-e", "--peer", "x:1", "--from", "2020-01-01T00:00:00Z"])
        #expect(past.status != 0)
        #expect(past.stderr.contains("would change buckets that have begun"), "\(past.stderr)")
    }

    @Test func removeNodeRefusesToGoBelowTheReplicationFactor() throws {
        let file = try Self.topologyFile(Self.three)
        let removed = try ProcessResult.run(RepositoryPaths.tribExecutable, ["cluster", "remove-node", "--topology", file, "--id", "node-b"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("node node-b removed"), "\(removed.stdout)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("removed: [node-b]"))
        let again = try ProcessResult.run(RepositoryPaths.tribExecutable, ["cluster", "remove-node", "--topology", file, "--id", "node-c"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("fewer than replication_factor 2"), "\(again.stderr)")
    }

    @Test func aBrokenTopologyIsRefusedWithFileKeyAndLine() throws {
        let file = try Self.topologyFile(Self.three.replacingOccurrences(of: "[node-a, node-b, node-c]", with: "[node-a, node-x]"))
        let checked = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", file])
        #expect(checked.status != 0)
        #expect(checked.stderr.contains("epochs[0].nodes: names node-x, which is not in nodes"), "\(checked.stderr)")
    }

    @Test func aNodeWhoseTopologyOmitsItIsRefused() throws {
        let setup = try NodeSetup(extra: "cluster:\n  topology: topology.yaml\n")
        try Self.three.write(to: setup.directory.appendingPathComponent("topology.yaml"), atomically: true, encoding: .utf8)
        let config = try String(contentsOfFile: setup.configFile, encoding: .utf8).replacingOccurrences(of: "node_id: node-a", with: "node_id: node-q")
            .replacingOccurrences(of: "  key: node-a.key", with: "  key: node-a.key\n  ca: ca.pem")
        try config.write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", setup.configFile])
        #expect(result.status != 0)
        #expect(result.stderr.contains("does not list node_id node-q"), "\(result.stderr)")
    }
}
