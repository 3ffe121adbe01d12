import NIOCore
import NIOPosix
import TributaryTLS

/// What went wrong reaching a peer, in an operator's words rather than
/// SwiftNIO's (`NIOConnectionError(host: …, connectionErrors: [...])`):
/// refused, reset, timed out, unreachable, or a TLS failure, with what to
/// check.
enum PeerFailureText {
    static func describe(_ error: Error, node: String, address: String) -> String {
        if let peer = error as? PeerError { return peer.description }
        if let connection = error as? NIOConnectionError {
            let causes = connection.connectionErrors.map { describe($0.error, node: node, address: address) }
            if let first = causes.first { return first }
            if connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return "cannot resolve \(connection.host): check nodes[].peer for \(node) in the topology"
            }
            return "cannot connect to \(address)"
        }
        if let io = error as? IOError { return describe(errno: io.errnoCode, node: node, address: address) }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout(let after):
                return "no answer from \(address) within \(after.nanoseconds / 1_000_000) ms: \(node) is stopped, overloaded or cut off by a firewall"
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed:
                return "the connection to \(node) at \(address) closed"
            default:
                return "connection to \(node) at \(address) failed (\(channel))"
            }
        }
        if let tls = error as? TLSError {
            return "TLS with \(node) at \(address) failed: \(tls); both nodes need certificates from the same tls.ca, issued for their node ids"
        }
        return "\(node) at \(address): \(error)"
    }

    static func describe(errno code: Int32, node: String, address: String) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused at \(address): \(node) is not running, or not listening on its cluster.peer_listen"
        case ECONNRESET, EPIPE: return "\(node) at \(address) reset the connection (restarted or stopped?)"
        case ETIMEDOUT: return "no answer from \(address): \(node) is stopped or cut off"
        case EHOSTUNREACH, ENETUNREACH: return "\(address) is unreachable from this node: check the network and nodes[].peer for \(node)"
        default: return "\(node) at \(address): \(String(cString: strerror(code)))"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
