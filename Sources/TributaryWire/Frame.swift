import NIOCore

/// One decoded frame of the Tributary wire protocol.
public enum Frame: Hashable, Sendable {
    case hello(Hello)
    case welcome(Welcome)
    case reject(Reject)
    case batch(Batch)
    case ack(Ack)
    case nack(Nack)
    case busy(Busy)
    case ping(nonce: UInt64)
    case pong(nonce: UInt64)
    case goAway(GoAway)
    case configRequest(ConfigRequest)
    case config(ConfigOffer)
    case configChanged(ConfigChanged)
    case configStatus(ConfigStatus)
    case report(AgentReport)
    case peer(PeerFrame)

    public var type: FrameType {
        switch self {
        case .hello: return .hello
        case .welcome: return .welcome
        case .reject: return .reject
        case .batch: return .batch
        case .ack: return .ack
        case .nack: return .nack
        case .busy: return .busy
        case .ping: return .ping
        case .pong: return .pong
        case .goAway: return .goAway
        case .configRequest: return .configRequest
        case .config: return .config
        case .configChanged: return .configChanged
        case .configStatus: return .configStatus
        case .report: return .report
        case .peer(let frame): return frame.type
        }
    }

    var flags: FrameFlags {
        switch self {
        case .batch(let batch): return batch.isCompressed ? .compressed : []
        case .peer(let frame): return frame.flags
        default: return []
        }
    }
}
