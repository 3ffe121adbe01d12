import Foundation
import Testing
import TributaryModel
import TributaryNode
import TributaryTestSupport
import TributaryWire

/// Credentials and roles on every endpoint of a real node (a one-node
/// cluster, so the admin endpoints answer 200), over HTTPS.
@Suite struct NodeAuthTests {
    /// acme: a plain token (ingest, query) and the admin token; beta: an
    /// ingest-only and a query-only token.
    static let tenants = """
          - name: acme
            tokens: ["${TRIB_TEST_TOKEN}", {token: \(NodeHTTP.adminToken), roles: [admin]}]
          - name: beta
            tokens:
              - {token: beta-ingest-only, roles: [ingest]}
              - {token: beta-query-only, roles: [query]}
        """

    static func basic(_ user: String, _ password: String) -> [String: String] {
        ["Authorization": "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    static func bearer(_ token: String) -> [String: String] { ["Authorization": "Bearer \(token)"] }

    static func call(_ endpoint: NodeEndpoint, port: Int, headers: [String: String]) throws -> NodeHTTP.Response {
        let path = endpoint == .consoleAsset ? "/console/app.js" : endpoint.path
        return try NodeHTTP.request(endpoint.method, port: port, path + (endpoint == .queryRange || endpoint == .query ? "?query=%7Bapp%3D%22x%22%7D" : ""),
                                    headers: headers)
    }

    @Test func everyEndpointButTheProbesNeedsCredentialsAndTheRightRole() async throws {
        let cluster = try ClusterSetup(["node-a"], replicationFactor: 1, tenants: Self.tenants)
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        let http = cluster.node("node-a").httpPort

        // Only the probes (Loki's `/ready` is one) and the web console's
        // pages and files, which hold no data, are open; a new endpoint must
        // declare its access.
        let open = NodeEndpoint.allCases.filter { $0.access == .open }
        #expect(Set(open) == [.healthz, .readyz, .lokiReady, .consoleHome, .consoleExplore, .consoleGraph, .consolePatterns, .consoleFleet,
                              .consoleCluster, .consoleAlerts, .consoleAsset])
        for endpoint in NodeEndpoint.allCases {
            let anonymous = try Self.call(endpoint, port: http, headers: [:])
            if endpoint.access == .open {
                #expect(anonymous.status == 200, "\(endpoint.path): \(anonymous.body)")
            } else {
                #expect(anonymous.status == 401, "\(endpoint.method) \(endpoint.path) without credentials: \(anonymous.status) \(anonymous.body)")
                #expect(anonymous.json["status"] as? String == "error" && anonymous.json["errorType"] as? String == "unauthorized", "\(anonymous.body)")
            }
        }
        #expect(try NodeHTTP.request("GET", port: http, "/no/such/path", headers: [:]).status == 401, "unknown paths fail closed")

        // Who may do what: bearer and basic alike.
        let expectations: [(headers: [String: String], endpoint: NodeEndpoint, status: Int)] = [
            (Self.bearer("token-for-acme"), .queryRange, 200),
            (Self.basic("acme", "token-for-acme"), .queryRange, 200),
            (Self.basic("acme", "token-for-acme"), .partitions, 200),
            (Self.basic("beta", "token-for-acme"), .partitions, 401),
            (Self.basic("acme", "wrong-token-123"), .partitions, 401),
            (Self.bearer("wrong-token-123"), .healthz, 401),
            (Self.bearer("token-for-acme"), .metrics, 200),
            (Self.bearer("beta-ingest-only"), .metrics, 200),
            (Self.bearer("token-for-acme"), .clusterRepair, 403),
            (Self.bearer("beta-query-only"), .clusterRepair, 403),
            (Self.bearer("token-for-acme"), .cluster, 403),
            (Self.bearer(NodeHTTP.adminToken), .cluster, 200),
            (Self.bearer(NodeHTTP.adminToken), .clusterRepair, 200),
            (Self.basic("acme", NodeHTTP.adminToken), .clusterRepair, 200),
            (Self.bearer(NodeHTTP.adminToken), .queryRange, 403),
            (Self.bearer("beta-ingest-only"), .queryRange, 403),
            (Self.bearer("beta-ingest-only"), .partitions, 403),
            (Self.bearer("beta-query-only"), .queryRange, 200),
        ]
        for (headers, endpoint, status) in expectations {
            let answer = try Self.call(endpoint, port: http, headers: headers)
            #expect(answer.status == status, "\(headers) \(endpoint.method) \(endpoint.path): \(answer.status) \(answer.body)")
        }
        let forbidden = try Self.call(.clusterRepair, port: http, headers: Self.bearer("token-for-acme"))
        #expect((forbidden.json["error"] as? String)?.contains("needs the admin role") == true, "\(forbidden.body)")
        #expect(forbidden.json["errorType"] as? String == "forbidden")
        let noQuery = try Self.call(.queryRange, port: http, headers: Self.bearer("beta-ingest-only"))
        #expect((noQuery.json["error"] as? String)?.contains("needs the query role") == true, "\(noQuery.body)")
        let wrongUser = try Self.call(.partitions, port: http, headers: Self.basic("beta", "token-for-acme"))
        #expect((wrongUser.json["error"] as? String)?.contains("is not the tenant of this token") == true, "\(wrongUser.body)")

        // The wire protocol: a query-only token cannot ingest; an ingest-only one can.
        let agentPort = cluster.node("node-a").agentPort
        let refused = try await WireTestClient.connect(port: agentPort, caFile: cluster.pki.caFile)
        try await refused.send(.hello(Hello(agentID: "q", token: Array("beta-query-only".utf8), capabilities: .deflate, software: "test", host: "h")))
        try await refused.wait("REJECT") { $0.contains { if case .reject = $0 { return true } else { return false } } }
        guard case .reject(let reject) = refused.frames.first(where: { if case .reject = $0 { return true } else { return false } }) else { return }
        #expect(reject.code == .authFailed)
        #expect(reject.reason.contains("without the ingest role"), "\(reject.reason)")
        await refused.close()
        let accepted = try await WireTestClient.connect(port: agentPort, caFile: cluster.pki.caFile)
        try await accepted.send(.hello(Hello(agentID: "i", token: Array("beta-ingest-only".utf8), capabilities: .deflate, software: "test", host: "h")))
        try await accepted.wait("WELCOME") { $0.contains { if case .welcome = $0 { return true } else { return false } } }
        await accepted.close()
    }

    @Test func metricsCanBeOpenedForScrapers() async throws {
        let setup = try NodeSetup(extra: "http: {metrics_auth: false}")
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        #expect(try NodeHTTP.get(port: http, "/metrics", token: nil).status == 200)
        #expect(try NodeHTTP.get(port: http, "/api/v1/partitions", token: nil).status == 401)
    }
}
