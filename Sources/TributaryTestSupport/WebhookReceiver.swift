import Foundation
import Synchronization

/// A real HTTP server on 127.0.0.1 for process tests that receive
/// notifications (Alertmanager's webhook, Tributary's own webhooks): it
/// accepts connections on a thread, reads each request's headers and
/// `Content-Length` body, answers `200 OK` (or the status asked for) and
/// keeps path and body.
/// Port 0 picks a free port; a fixed port lets a test start the receiver
/// late (a receiver that was down).
public final class WebhookReceiver: Sendable {
    public struct Request: Sendable {
        public let path: String
        /// Header names in lower case.
        public let headers: [String: String]
        public let body: Data

        /// The body as a JSON object, if it is one.
        public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    }

    public let port: Int
    /// The status every request is answered with (200 unless a test wants a refusal).
    public let status: Int
    private let socket: Int32
    private let received = Mutex<[Request]>([])
    private let stopped = Atomic<Bool>(false)

    public init(port requested: Int = 0, status: Int = 200) throws {
        self.status = status
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(requested).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        socket = descriptor
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// Every request so far, in arrival order.
    public var requests: [Request] { received.withLock { $0 } }

    /// Closes the listener (connections under way finish).
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    /// Waits until `condition` holds for the requests received.
    public func wait(_ what: String, timeout: Double = 60, until condition: ([Request]) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(requests) {
            guard Date() < deadline else {
                throw WebhookReceiverTimeout(description: "no \(what) within \(timeout)s; received \(requests.map { String(decoding: $0.body, as: UTF8.self) })")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = buffer.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                let length = lines.dropFirst().compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                let bodyStart = end.upperBound
                while buffer.count - (bodyStart - buffer.startIndex) < length {
                    let count = read(connection, &chunk, chunk.count)
                    guard count > 0 else { return }
                    buffer.append(contentsOf: chunk[0..<count])
                }
                let body = buffer[bodyStart..<(bodyStart + length)]
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
                }
                received.withLock { $0.append(Request(path: path, headers: headers, body: Data(body))) }
                let reason = status == 200 ? "OK" : "Refused"
                let text = status == 200 ? "" : "bad payload"
                let answer = Array("HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n\(text)".utf8)
                _ = answer.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
                return
            }
            let count = read(connection, &chunk, chunk.count)
            guard count > 0 else { return }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}

public struct WebhookReceiverTimeout: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}
