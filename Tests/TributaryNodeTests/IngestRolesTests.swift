import Testing
@testable import TributaryNode
import TributaryWire

/// The wire protocol's HELLO needs a credential with the ingest role.
@Suite struct IngestRolesTests {
    static let credentials = IngestCredentials(
        tokens: ["agent-token": "acme", "query-token": "acme", "ops-token": "acme"],
        certificateNames: ["dashboards": "acme"],
        tokenRoles: ["query-token": [.query], "ops-token": [.admin, .ingest]],
        certificateRoles: ["dashboards": [.query]])

    static func hello(_ token: String) -> Frame {
        .hello(Hello(agentID: "agent-1", token: Array(token.utf8), capabilities: .deflate, software: "test", host: "h"))
    }

    @Test func tokensWithTheIngestRoleAreWelcomed() {
        for token in ["agent-token", "ops-token"] {
            var session = IngestSession(nodeID: "node-a", credentials: Self.credentials)
            _ = session.receive(Self.hello(token), certificateName: nil)
            #expect(session.state == .active(agentID: "agent-1", tenant: "acme"), "\(token)")
        }
    }

    @Test func aQueryOnlyCredentialIsRejectedSayingWhy() {
        var session = IngestSession(nodeID: "node-a", credentials: Self.credentials)
        guard case .sendAndClose(.reject(let reject)) = session.receive(Self.hello("query-token"), certificateName: nil) else {
            Issue.record("a query-only token may ingest")
            return
        }
        #expect(reject.code == .authFailed)
        #expect(reject.reason.contains("a token of tenant acme without the ingest role (its roles: query)"), "\(reject.reason)")

        session = IngestSession(nodeID: "node-a", credentials: Self.credentials)
        guard case .sendAndClose(.reject(let byCertificate)) = session.receive(Self.hello(""), certificateName: "dashboards") else {
            Issue.record("a query-only certificate may ingest")
            return
        }
        #expect(byCertificate.reason.contains("client certificate of tenant acme without the ingest role"), "\(byCertificate.reason)")
    }
}
