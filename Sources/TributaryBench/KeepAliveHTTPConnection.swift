import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One persistent HTTP/1.1 connection to a loopback port for `trib bench
/// push`: requests go one after another over the same socket, as each
/// Prometheus remote-write shard sends them (Go's HTTP client keeps its
/// connections alive). Reconnects when the server closed the connection.
///
/// Reads what the bench's targets answer: a status line, headers and a
/// body of `Content-Length` bytes (none for 204); a response without a
/// length is read to the end of the connection, which is then closed.
/// Headers are bounded (64 KiB) and bodies kept up to 64 KiB.
final class KeepAliveHTTPConnection {
    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    private let port: Int
    private let timeoutSeconds: Int
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []
    private var position = 0

    init(port: Int, timeoutSeconds: Int = 120) {
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { disconnect() }

    /// POSTs `body` to `path`; the answer's status and (up to 64 KiB of) body.
    func post(_ path: String, headers: [String: String], body: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let request = Array((head + "\r\n").utf8) + body
        let reused = socket >= 0
        do {
            if socket < 0 { try connect() }
            try send(request)
            return try readResponse()
        } catch where reused {
            // The server may have closed the idle connection: once more on a new one.
            disconnect()
            try connect()
            try send(request)
            return try readResponse()
        }
    }

    private func connect() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failed(description: "socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failed(description: "cannot connect to 127.0.0.1:\(port): \(reason)")
        }
        socket = fd
        buffer.removeAll(keepingCapacity: true)
        position = 0
    }

    private func disconnect() {
        if socket >= 0 { close(socket) }
        socket = -1
    }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failed(description: "cannot send to 127.0.0.1:\(port): \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// Reads more bytes; false at the end of the connection.
    private func fill() throws -> Bool {
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
        guard count >= 0 else { throw Failed(description: "reading from 127.0.0.1:\(port) failed: \(String(cString: strerror(errno)))") }
        buffer += chunk[0..<count]
        return count > 0
    }

    private func line() throws -> String {
        while true {
            if let end = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                var bytes = buffer[position..<end]
                if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
                position = end + 1
                return String(decoding: bytes, as: UTF8.self)
            }
            guard buffer.count - position < 65_536 else { throw Failed(description: "a response header line longer than 64 KiB") }
            guard try fill() else { throw Failed(description: "the connection closed before the response was complete") }
        }
    }

    private func readResponse() throws -> (status: Int, body: [UInt8]) {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failed(description: "not an HTTP answer: \"\(statusLine.prefix(60))\"")
        }
        var length: Int?
        var closes = parts[0] == "HTTP/1.0"
        var headerBytes = 0
        while true {
            let header = try line()
            if header.isEmpty { break }
            headerBytes += header.utf8.count
            guard headerBytes < 65_536 else { throw Failed(description: "response headers over 64 KiB") }
            let lower = header.lowercased()
            if lower.hasPrefix("content-length:") { length = Int(lower.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
            if lower.hasPrefix("connection:") { closes = lower.contains("close") }
        }
        if status == 204 || status == 304 || (100..<200).contains(status) { length = 0 }
        var body: [UInt8] = []
        if let length {
            guard length <= 16 << 20 else { throw Failed(description: "a response body of \(length) bytes (over 16 MiB)") }
            while buffer.count - position < length {
                guard try fill() else { throw Failed(description: "the connection closed in the middle of a response body") }
            }
            body = Array(buffer[position..<position + min(length, 65_536)])
            position += length
        } else {
            while try fill() {
                guard buffer.count - position <= 16 << 20 else { throw Failed(description: "a response body over 16 MiB") }
            }
            body = Array(buffer[position..<min(buffer.count, position + 65_536)])
            position = buffer.count
            closes = true
        }
        if closes { disconnect() }
        return (status, body)
    }
}
