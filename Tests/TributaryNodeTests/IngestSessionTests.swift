import NIOCore
import Testing
@testable import TributaryNode
import TributaryStorage
import TributaryWire

@Suite struct IngestSessionTests {
    static let credentials = IngestCredentials(tokens: ["s3cret": "acme"], certificateNames: ["agent-cert": "globex"])

    static func hello(token: String = "s3cret", versions: [UInt8] = [1]) -> Frame {
        .hello(Hello(versions: versions, agentID: "agent-1", token: Array(token.utf8), capabilities: .deflate, software: "test", host: "h"))
    }

    static func batch(_ sequence: UInt64, agent: String = "agent-1") -> Batch {
        Batch(agentID: agent, sequence: sequence, recordCount: 1, rawLength: 5, isCompressed: false, body: ByteBuffer(bytes: [0, 0, 0, 0, 0]))
    }

    static func active() -> IngestSession {
        var session = IngestSession(nodeID: "node-a", credentials: credentials, window: 3)
        _ = session.receive(hello(), certificateName: nil)
        return session
    }

    @Test func aValidHelloIsWelcomedWithTheLimits() {
        var session = IngestSession(nodeID: "node-a", credentials: Self.credentials, window: 3)
        guard case .send(.welcome(let welcome)) = session.receive(Self.hello(), certificateName: nil) else {
            Issue.record("no WELCOME")
            return
        }
        #expect(welcome.nodeID == "node-a")
        #expect(welcome.window == 3)
        #expect(welcome.capabilities == .deflate)
        #expect(session.state == .active(agentID: "agent-1", tenant: "acme"))
    }

    @Test func aClientCertificateNameCanStandForAToken() {
        var session = IngestSession(nodeID: "node-a", credentials: Self.credentials)
        _ = session.receive(Self.hello(token: ""), certificateName: "agent-cert")
        #expect(session.state == .active(agentID: "agent-1", tenant: "globex"))
    }

    @Test func refusalsSayWhyAndClose() {
        var session = IngestSession(nodeID: "node-a", credentials: Self.credentials)
        guard case .sendAndClose(.reject(let reject)) = session.receive(Self.hello(token: "wrong"), certificateName: nil) else {
            Issue.record("wrong token accepted")
            return
        }
        #expect(reject.code == .authFailed)
        #expect(reject.reason.contains("agent-1 presented an unknown token"))
        #expect(session.state == .closed)

        session = IngestSession(nodeID: "node-a", credentials: Self.credentials)
        guard case .sendAndClose(.reject(let version)) = session.receive(Self.hello(versions: [2, 3]), certificateName: nil) else {
            Issue.record("unsupported version accepted")
            return
        }
        #expect(version.code == .unsupportedVersion)

        session = IngestSession(nodeID: "node-a", credentials: Self.credentials)
        guard case .sendAndClose(.reject(let early)) = session.receive(.batch(Self.batch(1)), certificateName: nil) else {
            Issue.record("BATCH before HELLO accepted")
            return
        }
        #expect(early.code == .protocolViolation)
        #expect(early.reason == "expected HELLO as the first frame, got BATCH")
    }

    @Test func batchesAreStoredAndAcknowledgedWhateverOrderTheyFinishIn() {
        var session = Self.active()
        for sequence: UInt64 in [5, 6, 7] {
            let action1 = session.receive(.batch(Self.batch(sequence)), certificateName: nil)
            #expect(action1 == .store(Self.batch(sequence), tenant: "acme"))
        }
        // 7 finishes first: 5 and 6 are still in flight, so only 7 selectively.
        let action2 = session.completed(sequence: 7, result: .stored)
        #expect(action2 == .send(.ack(Ack(cumulative: 4, selective: [7]))))
        let action3 = session.completed(sequence: 5, result: .duplicate)
        #expect(action3 == .send(.ack(Ack(cumulative: 5, selective: []))))
        let action4 = session.completed(sequence: 6, result: .stored)
        #expect(action4 == .send(.ack(Ack(cumulative: 7, selective: []))))
    }

    @Test func theWindowIsEnforcedWithBusy() {
        var session = Self.active()
        for sequence: UInt64 in 1...3 { _ = session.receive(.batch(Self.batch(sequence)), certificateName: nil) }
        guard case .send(.busy(let busy)) = session.receive(.batch(Self.batch(4)), certificateName: nil) else {
            Issue.record("window not enforced")
            return
        }
        #expect(busy.sequence == 4)
        _ = session.completed(sequence: 1, result: .stored)
        let action5 = session.receive(.batch(Self.batch(4)), certificateName: nil)
        #expect(action5 == .store(Self.batch(4), tenant: "acme"))
    }

    @Test func storageFailuresAreRetryable() {
        var session = Self.active()
        _ = session.receive(.batch(Self.batch(1)), certificateName: nil)
        _ = session.receive(.batch(Self.batch(2)), certificateName: nil)
        guard case .send(.busy(let busy)) = session.completed(sequence: 1, result: .failed(.diskFull(path: "/data/wal"))) else {
            Issue.record("disk full not answered with BUSY")
            return
        }
        #expect(busy.reason.contains("disk full at /data/wal"))
        guard case .send(.nack(let nack)) = session.completed(sequence: 2, result: .failed(.io(path: "/data", operation: "writing", errno: 5))) else {
            Issue.record("I/O error not answered with NACK")
            return
        }
        #expect(nack.disposition == .retry)
        #expect(nack.code == .storageFailure)
    }

    @Test func otherFramesAfterWelcome() {
        var session = Self.active()
        let action6 = session.receive(.ping(nonce: 9), certificateName: nil)
        #expect(action6 == .send(.pong(nonce: 9)))
        guard case .send(.nack(let nack)) = session.receive(.batch(Self.batch(1, agent: "agent-2")), certificateName: nil) else {
            Issue.record("agent mismatch accepted")
            return
        }
        #expect(nack.code == .agentMismatch && nack.disposition == .permanent)
        guard case .sendAndClose(.goAway(let goAway)) = session.receive(Self.hello(), certificateName: nil) else {
            Issue.record("second HELLO accepted")
            return
        }
        #expect(goAway.code == .protocolError)
    }
}
