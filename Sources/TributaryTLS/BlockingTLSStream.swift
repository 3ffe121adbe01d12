import Foundation
import NIOCore

/// Client-side TLS over a connected, blocking POSIX socket, for the small
/// synchronous HTTP client that `trib query`, `trib cluster` and the tests
/// use. The same `TLSConnection` (memory BIOs) as `TLSHandler` does the
/// work; this type only moves ciphertext between it and the socket.
///
/// The handshake runs in `init`, so a stream that exists is verified
/// (chain, name, pins) and its errors are the same `TLSError`s the agent
/// reports. Not thread-safe: one caller uses it, then `close`s it.
public final class BlockingTLSStream {
    /// A socket call failed (after or during the handshake).
    public struct SocketError: Error, CustomStringConvertible {
        public let description: String
    }

    private let socket: Int32
    private let connection: TLSConnection
    /// The handshake's outcome: version, cipher and the server's identity.
    public let handshake: TLSHandshakeCompleted

    /// Runs the handshake on `socket` (which the caller owns and closes).
    /// - Parameter serverHostname: the name or IP address the server's
    ///   certificate must carry.
    public init(socket: Int32, context: TLSContext, serverHostname: String?) throws {
        if context.role != .client { throw TLSError.invalidConfiguration("a TLS stream to a server needs a client context") }
        if context.configuration.verifyPeer, serverHostname == nil {
            throw TLSError.invalidConfiguration("a verifying TLS client needs the server's host name or IP address")
        }
        self.socket = socket
        connection = try TLSConnection(context: context, serverHostname: serverHostname)
        while true {
            switch connection.handshake() {
            case .complete:
                try Self.sendPending(connection, socket)
                handshake = TLSHandshakeCompleted(peer: connection.peerIdentity, version: connection.negotiatedVersion,
                                                  cipher: connection.negotiatedCipher)
                return
            case .inProgress:
                try Self.sendPending(connection, socket)
                guard let bytes = try Self.receiveCiphertext(socket) else { throw TLSError.closedDuringHandshake }
                connection.receive(bytes)
            case .failed(let error):
                try? Self.sendPending(connection, socket)
                throw error
            }
        }
    }

    /// Encrypts and sends all of `bytes`.
    public func send(_ bytes: [UInt8]) throws {
        if let error = connection.write(ByteBuffer(bytes: bytes)) { throw error }
        try Self.sendPending(connection, socket)
    }

    /// The next plaintext, or nil once the server closed the connection
    /// (close_notify, or EOF without it: the caller's framing decides
    /// whether the answer was whole).
    public func receive() throws -> [UInt8]? {
        while true {
            var plaintext = ByteBuffer()
            let outcome = connection.read(into: &plaintext)
            if plaintext.readableBytes > 0 { return Array(plaintext.readableBytesView) }
            switch outcome {
            case .closed:
                return nil
            case .failed(let error):
                throw error
            case .wantMore:
                if connection.pendingCiphertext > 0 { try Self.sendPending(connection, socket) }
                guard let bytes = try Self.receiveCiphertext(socket) else { return nil }
                connection.receive(bytes)
            }
        }
    }

    /// Sends close_notify (best effort); the caller closes the socket.
    public func close() {
        connection.shutdown()
        try? Self.sendPending(connection, socket)
    }

    private static func sendPending(_ connection: TLSConnection, _ socket: Int32) throws {
        guard connection.pendingCiphertext > 0 else { return }
        var buffer = ByteBuffer()
        connection.takeCiphertext(into: &buffer)
        let bytes = Array(buffer.readableBytesView)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw SocketError(description: "sending failed: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// Ciphertext from the socket, or nil at end of file.
    private static func receiveCiphertext(_ socket: Int32) throws -> ByteBuffer? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        // A socket with a receive timeout is never restarted after a signal
        // handler (signal(7)): EINTR means "try again", not a failure.
        var count: Int
        repeat {
            count = chunk.withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress!, $0.count, 0) }
        } while count < 0 && errno == EINTR
        if count < 0 { throw SocketError(description: "reading failed: \(String(cString: strerror(errno)))") }
        if count == 0 { return nil }
        return ByteBuffer(bytes: chunk[0..<count])
    }
}

@available(*, unavailable)
extension BlockingTLSStream: Sendable {}
