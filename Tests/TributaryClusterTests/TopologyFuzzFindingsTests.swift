import Testing
import TributaryCluster
import TributaryConfig

/// Inputs `Fuzz/fuzz-config` found that trapped; each must now be a
/// `ConfigError` naming the key.
@Suite struct TopologyFuzzFindingsTests {
    @Test func anEpochStartingInTheYear1013IsAnErrorNamingFromNotATrap() {
        let text = """
            replication_factor: 2
            partition_span: 1h
            nodes:
              - {id: node-a, peer: 127.0.0.1:7410, agent: 127.0.0.1:7400, http: 127.0.0.1:7401, zone: z1}
              - {id: node-b, peer: 127.0.0.1:7420, zone: z2}
              - {id: node-c, peer: 127.0.0.1:7430, zone: z3}
              - {id: node-d, peer: 127.0.0.1:7440, zone: z1}
            epochs:
              - nodes: [node-a, node-b, node-c]
              - from: 1013-12-01T10:00:00Z
                nodes: [node-a, node-b, node-c, node-d]
            """
        for year in ["1013", "2826"] {
            #expect {
                try Topology.parse(text.replacingOccurrences(of: "1013", with: year))
            } throws: { error in
                "\(error)".contains("from") && "\(error)".contains("\(year)-12-01T10:00:00Z")
            }
        }
    }
}
