import TributaryStorage
import TributaryWire

/// One agent connection's side of the wire protocol, as a plain state
/// machine: frames and storage results in, actions out. No sockets, no
/// clocks, so every rule is testable directly.
///
/// ```
/// awaitingHello ──HELLO ok──▶ active ──GOAWAY/close──▶ closed
///      │ bad HELLO / other frame: REJECT and close
/// ```
/// ACKs (`proto/PROTOCOL.md` §4.5): the cumulative value promises that
/// every batch sent on this connection at or below it is durable. It is
/// therefore one below the smallest sequence that is in flight *or was
/// answered without being stored* (BUSY, NACK, a failure) and not stored
/// since, or the highest stored when there is none; a batch stored above it
/// is acknowledged selectively. Both hold whatever order stores complete in.
struct IngestSession {
    enum State: Equatable {
        case awaitingHello
        case active(agentID: String, tenant: String)
        case closed
    }

    enum Action: Equatable {
        case send(Frame)
        case sendAndClose(Frame)
        case store(Batch, tenant: String)
        /// Central configuration (`FleetConfigService`), on connections
        /// that negotiated `Capabilities.centralConfig`.
        case configRequest(ConfigRequest, agentID: String)
        case configStatus(ConfigStatus, agentID: String, host: String)
        /// The agent's self-report, for the fleet inventory.
        case report(AgentReport, agentID: String, tenant: String, software: String)
        case none
    }

    /// How storing a batch ended.
    enum StoreResult: Equatable {
        case stored
        case duplicate
        case refused(Nack)
        case busy(reason: String, retryAfterMilliseconds: UInt32)
        case failed(StorageError)
    }

    let nodeID: String
    let credentials: IngestCredentials
    let limits: WireLimits
    let window: Int
    private(set) var state = State.awaitingHello
    /// What WELCOME granted: REPORT frames are accepted only with `.report`,
    /// the CONFIG frames only with `.centralConfig`.
    private(set) var capabilities: Capabilities = []
    /// HELLO's host name, kept for central configuration's reports.
    private(set) var host = ""
    /// HELLO's software, e.g. `trib/0.1.0`, kept for the inventory.
    private(set) var software = ""
    private var inFlight: [UInt64] = []
    private var highestStored: UInt64 = 0
    /// Sequences answered on this connection without being stored, until a
    /// resend stores them. Bounded by `maxUnstored`: past it the cumulative
    /// value is frozen below the smallest of them for the connection's life
    /// (safe, and selective ACKs still acknowledge every later batch).
    private var unstored: Set<UInt64> = []
    private var frozenCeiling: UInt64?
    static let maxUnstored = 1024

    init(nodeID: String, credentials: IngestCredentials, limits: WireLimits = .default, window: Int = 16) {
        self.nodeID = nodeID
        self.credentials = credentials
        self.limits = limits
        self.window = window
    }

    mutating func receive(_ frame: Frame, certificateName: String?) -> Action {
        switch state {
        case .closed:
            return .none
        case .awaitingHello:
            guard case .hello(let hello) = frame else {
                state = .closed
                return .sendAndClose(.reject(Reject(code: .protocolViolation, reason: "expected HELLO as the first frame, got \(frame.type)")))
            }
            guard hello.versions.contains(FrameHeader.currentVersion) else {
                state = .closed
                return .sendAndClose(.reject(Reject(
                    code: .unsupportedVersion,
                    reason: "this node speaks protocol version \(FrameHeader.currentVersion); the agent offered \(hello.versions.map(String.init).joined(separator: ", "))")))
            }
            guard let tenant = credentials.tenant(token: hello.token, certificateName: certificateName) else {
                state = .closed
                let how = credentials.refusal(token: hello.token, certificateName: certificateName)
                return .sendAndClose(.reject(Reject(code: .authFailed, reason: "agent \(hello.agentID) presented \(how): configure a token (or certificate) this node maps to a tenant")))
            }
            state = .active(agentID: hello.agentID, tenant: tenant)
            capabilities = hello.capabilities.intersection(.all)
            host = hello.host
            software = hello.software
            return .send(.welcome(Welcome(
                version: FrameHeader.currentVersion, capabilities: capabilities, nodeID: nodeID,
                maxFrameBytes: UInt32(limits.maxFrameBytes), maxBatchRecords: UInt32(limits.maxBatchRecords),
                maxBatchRawBytes: UInt32(limits.maxBatchRawBytes), window: UInt16(window), idleTimeoutMilliseconds: 0)))
        case .active(let agentID, let tenant):
            switch frame {
            case .batch(let batch):
                guard batch.agentID == agentID else {
                    markUnstored(batch.sequence)
                    return .send(.nack(Nack(sequence: batch.sequence, disposition: .permanent, code: .agentMismatch,
                                            reason: "batch names agent \(batch.agentID) but this connection is agent \(agentID)")))
                }
                guard inFlight.count < window else {
                    markUnstored(batch.sequence)
                    return .send(.busy(Busy(sequence: batch.sequence, retryAfterMilliseconds: 100,
                                            reason: "more than the window of \(window) batches in flight")))
                }
                inFlight.append(batch.sequence)
                return .store(batch, tenant: tenant)
            case .configRequest(let request) where capabilities.contains(.centralConfig):
                return .configRequest(request, agentID: agentID)
            case .configStatus(let status) where capabilities.contains(.centralConfig):
                return .configStatus(status, agentID: agentID, host: host)
            case .ping(let nonce):
                return .send(.pong(nonce: nonce))
            case .report(let report) where capabilities.contains(.report):
                return .report(report, agentID: agentID, tenant: tenant, software: software)
            case .pong, .goAway:
                return .none
            default:
                state = .closed
                return .sendAndClose(.goAway(GoAway(code: .protocolError, reason: "unexpected \(frame.type) from an agent after WELCOME")))
            }
        }
    }

    /// The answer to a finished store of `sequence`.
    mutating func completed(sequence: UInt64, result: StoreResult) -> Action {
        guard case .active = state, let index = inFlight.firstIndex(of: sequence) else { return .none }
        inFlight.remove(at: index)
        switch result {
        case .stored, .duplicate:
            highestStored = max(highestStored, sequence)
            unstored.remove(sequence)
            let cumulative = cumulativeValue()
            return .send(.ack(Ack(cumulative: cumulative, selective: sequence > cumulative ? [sequence] : [])))
        case .refused(let nack):
            markUnstored(sequence)
            return .send(.nack(nack))
        case .busy(let reason, let retryAfter):
            markUnstored(sequence)
            return .send(.busy(Busy(sequence: sequence, retryAfterMilliseconds: retryAfter, reason: reason)))
        case .failed(.diskFull(let path)):
            markUnstored(sequence)
            return .send(.busy(Busy(sequence: sequence, retryAfterMilliseconds: 1000,
                                    reason: "disk full at \(path): not stored, retry later")))
        case .failed(let error):
            markUnstored(sequence)
            return .send(.nack(Nack(sequence: sequence, disposition: .retry, code: .storageFailure, reason: error.description)))
        }
    }

    /// The highest value every batch sent on this connection at or below is
    /// durable for: below anything in flight or answered but not stored.
    private func cumulativeValue() -> UInt64 {
        var value = highestStored
        if let lowest = inFlight.min() { value = min(value, lowest &- 1) }
        if let lowest = unstored.min() { value = min(value, lowest &- 1) }
        if let frozenCeiling { value = min(value, frozenCeiling) }
        return value
    }

    private mutating func markUnstored(_ sequence: UInt64) {
        guard sequence > 0 else { return }
        unstored.insert(sequence)
        if unstored.count > Self.maxUnstored, let lowest = unstored.min() {
            frozenCeiling = min(frozenCeiling ?? .max, lowest - 1)
            unstored = []
        }
    }

    /// A decoding error ended the connection.
    mutating func failed(_ error: Error) -> Action {
        guard state != .closed else { return .none }
        state = .closed
        return .sendAndClose(.goAway(GoAway(code: .protocolError, reason: String(describing: error))))
    }
}
