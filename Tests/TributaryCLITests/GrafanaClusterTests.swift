import Foundation
import Testing
import TributaryTestSupport

/// Grafana pointed at any node of a cluster sees the same label browser,
/// log panel and log volume: the answers are gathered from one replica of
/// each partition, and each node holds only some of them.
@Suite struct GrafanaClusterTests {
    @Test func everyNodeAnswersTheLabelBrowserLogPanelAndVolumeAlike() async throws {
        let cluster = try ClusterSetup(["node-a", "node-b", "node-c"], replicationFactor: 2, writeQuorum: 2)
        try await cluster.startAll()
        try await NodeQueryTests.send(try NodeQueryTests.sample(), port: cluster.node("node-a").agentPort, caFile: cluster.pki.caFile)
        for id in ["node-a", "node-b", "node-c"] {
            let grafana = GrafanaClient(port: cluster.node(id).httpPort)
            try await GrafanaLokiTests.checkLabelBrowser(grafana)
            try GrafanaLokiTests.checkLogPanel(grafana)
            try GrafanaLokiTests.checkLogVolume(grafana)
        }
        await cluster.stopAll()
    }
}
