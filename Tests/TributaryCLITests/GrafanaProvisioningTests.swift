import Foundation
import Testing
import TributaryTestSupport
import Yams

/// `deploy/integrations/grafana/datasources.yaml` is a Grafana
/// provisioning file (https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources)
/// that adds Tributary as a Loki and a Prometheus data source with Basic
/// auth (tenant as user, token as password), and Grafana's paths under
/// its URL reach the node's endpoints.
@Suite struct GrafanaProvisioningTests {
    @Test func datasourcesFileDeclaresBothSourcesWithBasicAuth() throws {
        let path = RepositoryPaths.root.appendingPathComponent("deploy/integrations/grafana/datasources.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(document["apiVersion"] as? Int == 1)
        let sources = try #require(document["datasources"] as? [[String: Any]])
        #expect(Set(sources.compactMap { $0["type"] as? String }) == ["loki", "prometheus"])
        for source in sources {
            let name = source["name"] as? String ?? "?"
            #expect(source["access"] as? String == "proxy", "\(name)")
            // Grafana appends /loki/api/v1/… and /api/v1/… itself: the URL is the node's root.
            let url = try #require(source["url"] as? String, "\(name)")
            #expect(url == "${TRIBUTARY_URL}", "\(name): \(url)")
            #expect(source["basicAuth"] as? Bool == true, "\(name)")
            #expect(source["basicAuthUser"] as? String == "${TRIBUTARY_TENANT}", "\(name)")
            let secure = try #require(source["secureJsonData"] as? [String: Any], "\(name)")
            #expect(secure["basicAuthPassword"] as? String == "${TRIBUTARY_TOKEN}", "\(name)")
            #expect(source["uid"] is String, "\(name)")
        }
        let prometheus = try #require(sources.first { $0["type"] as? String == "prometheus" })
        #expect((prometheus["jsonData"] as? [String: Any])?["httpMethod"] as? String == "POST")
    }

    @Test func theEndpointsGrafanaAppendsAreTheNodes() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let grafana = GrafanaClient(port: http)
        for path in ["/loki/api/v1/labels", "/loki/api/v1/status/buildinfo", "/api/v1/labels", "/api/v1/status/buildinfo", "/api/v1/metadata"] {
            let answer = try grafana.get(path)
            #expect(answer.status == 200, "\(path): \(answer.body)")
        }
    }
}
