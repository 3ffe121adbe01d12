import Foundation
import TributaryTLS

/// A small blocking HTTP/1.1 client over a POSIX socket, for `trib query`,
/// `trib cluster`, the demo and the tests: sends one request (over TLS when
/// given a client context, as a node's HTTP API needs), hands the body to
/// the caller as it arrives (chunked or not), and closes.
public enum HTTPGetClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// HTTPS: the client context (CA, optional client certificate) and the
    /// name the server's certificate must carry (default: the host).
    public struct TLS: Sendable {
        public var context: TLSContext
        public var serverName: String?

        public init(context: TLSContext, serverName: String? = nil) {
            self.context = context
            self.serverName = serverName
        }
    }

    /// GETs `path` (with its query string) from `host:port`. `body` gets the
    /// status code once, then the body in pieces.
    public static func get(host: String, port: Int, path: String, headers: [String: String] = [:], tls: TLS? = nil, timeoutSeconds: Int = 120,
                           status: (Int) throws -> Void, body: ([UInt8]) throws -> Void) throws {
        try request(method: "GET", host: host, port: port, path: path, headers: headers, tls: tls, timeoutSeconds: timeoutSeconds,
                    status: status, body: body)
    }

    /// POSTs a JSON body and returns the status and the whole answer.
    public static func post(host: String, port: Int, path: String, json: [UInt8], headers: [String: String] = [:], tls: TLS? = nil,
                            timeoutSeconds: Int = 60) throws -> (Int, String) {
        var code = 0
        var answer: [UInt8] = []
        try request(method: "POST", host: host, port: port, path: path, headers: headers.merging(["Content-Type": "application/json"]) { $1 },
                    requestBody: json, tls: tls, timeoutSeconds: timeoutSeconds, status: { code = $0 }, body: { answer += $0 })
        return (code, String(decoding: answer, as: UTF8.self))
    }

    /// `responseHeader` gets each header of the answer (name as sent, value
    /// trimmed) before `body` is called. An `Accept` in `headers` replaces
    /// the default `application/json`. The body arrives in pieces of at
    /// most 64 KiB, whatever length the server announces, so `body` can
    /// bound what it keeps. With a `deadline`, reading stops with an error
    /// once it has passed (checked before each read, which itself waits
    /// at most `timeoutSeconds`): a server trickling bytes cannot hold the
    /// caller longer.
    public static func request(method: String, host: String, port: Int, path: String, headers: [String: String], requestBody: [UInt8] = [],
                               tls: TLS? = nil, timeoutSeconds: Int, deadline: ContinuousClock.Instant? = nil,
                               status: (Int) throws -> Void, body: ([UInt8]) throws -> Void,
                               responseHeader: (String, String) throws -> Void = { _, _ in }) throws {
        let socket = try connect(host: host, port: port, timeoutSeconds: timeoutSeconds)
        defer { close(socket) }
        var stream: BlockingTLSStream?
        if let tls {
            do {
                stream = try BlockingTLSStream(socket: socket, context: tls.context, serverHostname: tls.serverName ?? host)
            } catch {
                var hint = ""
                if case TLSError.notTLS = error { hint = " (the port answers without TLS: for a node with insecure: true use http://)" }
                if case TLSError.unknownCA = error { hint = " (pass the CA that issued the node's certificate: --ca or TRIB_CA)" }
                throw Failure(description: "TLS to \(host):\(port) failed: \(error)\(hint)")
            }
        }
        defer { stream?.close() }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        if !headers.keys.contains(where: { $0.lowercased() == "accept" }) { request += "Accept: application/json\r\n" }
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if method != "GET" { request += "Content-Length: \(requestBody.count)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8) + requestBody
        if let stream {
            do {
                try stream.send(bytes)
            } catch {
                throw Failure(description: "cannot send to \(host):\(port): \(error)")
            }
        } else {
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw Failure(description: "cannot send to \(host):\(port): \(String(cString: strerror(errno)))") }
                sent += count
            }
        }
        var reader = SocketReader(socket: socket, stream: stream, deadline: deadline)
        let statusLine: String
        do {
            statusLine = try reader.line()
        } catch {
            let hint = tls == nil ? " (if the node serves HTTPS, use https:// and --ca)" : ""
            throw Failure(description: "\(host):\(port) did not answer: \(error)\(hint)")
        }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) else {
            let hint = tls == nil ? " (if the node serves HTTPS, use https:// and --ca)" : ""
            throw Failure(description: "\(host):\(port) did not answer HTTP (got \"\(statusLine.prefix(60))\"): is this the node's http_listen address?\(hint)")
        }
        var chunked = false
        var length: Int?
        while true {
            let line = try reader.line()
            if line.isEmpty { break }
            let lower = line.lowercased()
            if lower.hasPrefix("transfer-encoding:") && lower.contains("chunked") { chunked = true }
            if lower.hasPrefix("content-length:") { length = Int(lower.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
            if let colon = line.firstIndex(of: ":") {
                try responseHeader(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
        }
        try status(code)
        if chunked {
            while true {
                let sizeLine = try reader.line()
                guard let size = Int(sizeLine.split(separator: ";").first.map(String.init) ?? "", radix: 16) else {
                    throw Failure(description: "bad chunk size \"\(sizeLine)\" in the response")
                }
                if size == 0 { break }
                try pieces(size, &reader, body)
                _ = try reader.line()
            }
        } else if let length {
            if length > 0 { try pieces(length, &reader, body) }
        } else {
            while let piece = try reader.some() { try body(piece) }
        }
    }

    /// `count` bytes of the body, handed on in pieces of at most 64 KiB.
    private static func pieces(_ count: Int, _ reader: inout SocketReader, _ body: ([UInt8]) throws -> Void) throws {
        var remaining = count
        while remaining > 0 {
            let piece = min(remaining, 65_536)
            try body(try reader.bytes(piece))
            remaining -= piece
        }
    }

    private static func connect(host: String, port: Int, timeoutSeconds: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
            throw Failure(description: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(result) }
        var lastError: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let socket = Glibc.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if socket >= 0 {
                var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
                setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                // On Linux this also bounds connect() (an unreachable host).
                setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(socket, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return socket }
                lastError = errno
                close(socket)
            }
            entry = info.pointee.ai_next
        }
        throw Failure(description: "cannot connect to \(host):\(port): \(String(cString: strerror(lastError))) (is the node running, and is this its http_listen address?)")
    }
}
