import Testing
@testable import TributaryNode
import TributaryWire

/// CONFIG_REQUEST and CONFIG_STATUS are taken only on connections whose
/// HELLO offered capability bit 2 (`proto/PROTOCOL.md` section 12).
@Suite struct IngestSessionConfigTests {
    static func session(capabilities: Capabilities) -> (IngestSession, Welcome?) {
        var session = IngestSession(nodeID: "node-a", credentials: IngestSessionTests.credentials)
        let hello = Frame.hello(Hello(agentID: "agent-1", token: Array("s3cret".utf8), capabilities: capabilities, software: "t", host: "web-1"))
        guard case .send(.welcome(let welcome)) = session.receive(hello, certificateName: nil) else { return (session, nil) }
        return (session, welcome)
    }

    @Test func anAgentThatOffersCentralConfigIsAnsweredWithIt() {
        var (session, welcome) = Self.session(capabilities: [.deflate, .centralConfig])
        #expect(welcome?.capabilities == [.deflate, .centralConfig])
        let request = ConfigRequest(group: "web", version: 3)
        #expect(session.receive(.configRequest(request), certificateName: nil) == .configRequest(request, agentID: "agent-1"))
        let status = ConfigStatus(group: "web", version: 4, applied: 3, error: "does not start")
        #expect(session.receive(.configStatus(status), certificateName: nil) == .configStatus(status, agentID: "agent-1", host: "web-1"))
    }

    @Test func aConfigFrameWithoutTheCapabilityFailsTheConnection() {
        var (session, welcome) = Self.session(capabilities: .deflate)
        #expect(welcome?.capabilities == .deflate, "an old agent is not shown the capability")
        guard case .sendAndClose(.goAway(let goAway)) = session.receive(.configRequest(ConfigRequest(group: "web", version: 0)),
                                                                        certificateName: nil) else {
            Issue.record("the frame was taken")
            return
        }
        #expect(goAway.code == .protocolError)
        #expect(goAway.reason.contains("CONFIG_REQUEST"))
    }
}
