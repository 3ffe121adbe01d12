import Foundation
import TributaryTLS

/// Buffered reads from a socket, or from a TLS stream over it.
struct SocketReader {
    let socket: Int32
    let stream: BlockingTLSStream?
    /// Reading fails once this has passed (nil: no limit besides each read's timeout).
    let deadline: ContinuousClock.Instant?
    private var buffer: [UInt8] = []
    private var position = 0

    init(socket: Int32, stream: BlockingTLSStream?, deadline: ContinuousClock.Instant? = nil) {
        self.socket = socket
        self.stream = stream
        self.deadline = deadline
    }

    private mutating func fill() throws -> Bool {
        if let deadline, ContinuousClock.now >= deadline {
            throw HTTPGetClient.Failure(description: "reading the response failed: timed out (the deadline passed)")
        }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        if let stream {
            let plaintext: [UInt8]?
            do {
                plaintext = try stream.receive()
            } catch {
                throw HTTPGetClient.Failure(description: "reading the response failed: \(error)")
            }
            guard let plaintext else { return false }
            buffer += plaintext
            return true
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        // A socket with a receive timeout is never restarted after a signal
        // handler (signal(7)): EINTR means "try again", not a failure.
        var count: Int
        repeat {
            count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
        } while count < 0 && errno == EINTR
        if count < 0 { throw HTTPGetClient.Failure(description: "reading the response failed: \(String(cString: strerror(errno)))") }
        if count == 0 { return false }
        buffer += chunk[0..<count]
        return true
    }

    mutating func line() throws -> String {
        while true {
            if let end = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                var bytes = buffer[position..<end]
                if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
                position = end + 1
                return String(decoding: bytes, as: UTF8.self)
            }
            guard buffer.count - position < 65_536 else { throw HTTPGetClient.Failure(description: "a header line longer than 64 KiB") }
            guard try fill() else { throw HTTPGetClient.Failure(description: "the connection closed in the middle of the response") }
        }
    }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        while buffer.count - position < count {
            guard try fill() else { throw HTTPGetClient.Failure(description: "the connection closed in the middle of the response") }
        }
        defer { position += count }
        return Array(buffer[position..<position + count])
    }

    mutating func some() throws -> [UInt8]? {
        if position < buffer.count {
            defer { position = buffer.count }
            return Array(buffer[position...])
        }
        return try fill() ? some() : nil
    }
}
