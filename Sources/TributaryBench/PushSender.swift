import Foundation
import Synchronization
import TributaryHTTPClient

/// Posts request bodies to one HTTP endpoint from `connections` threads
/// (blocking sockets), and fails on any answer but 2xx: the figure only
/// counts acknowledged requests. With `keepAlive` each thread keeps one
/// connection for all its requests, as a Prometheus remote-write shard
/// does; without, it opens one per request. Threads, not tasks: the node
/// under test runs in this process and needs the cooperative pool's few
/// threads.
struct PushSender {
    let port: Int
    let path: String
    let headers: [String: String]
    let connections: Int
    var keepAlive = false

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends every body once; returns the seconds until the last answer.
    func send(_ bodies: [[UInt8]]) async throws -> Double {
        let next = Atomic<Int>(0)
        let failure = Mutex<String?>(nil)
        let began = ContinuousClock.now
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for _ in 0..<connections {
                group.enter()
                let thread = Thread { [port, path, headers, keepAlive] in
                    defer { group.leave() }
                    let connection = keepAlive ? KeepAliveHTTPConnection(port: port) : nil
                    while failure.withLock({ $0 == nil }) {
                        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < bodies.count else { return }
                        var status = 0
                        var answer: [UInt8] = []
                        do {
                            if let connection {
                                (status, answer) = try connection.post(path, headers: headers, body: bodies[index])
                            } else {
                                try HTTPGetClient.request(method: "POST", host: "127.0.0.1", port: port, path: path, headers: headers,
                                                          requestBody: bodies[index], timeoutSeconds: 120, status: { status = $0 }, body: { answer += $0 })
                            }
                        } catch {
                            failure.withLock { $0 = "request \(index) to \(path) failed: \(error)" }
                            return
                        }
                        if !(200..<300).contains(status) {
                            failure.withLock { $0 = "request \(index) to :\(port)\(path) answered \(status): \(String(decoding: answer.prefix(300), as: UTF8.self))" }
                            return
                        }
                    }
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            group.notify(queue: .global()) { done.resume() }
        }
        let elapsed = ContinuousClock.now - began
        if let message = failure.withLock({ $0 }) { throw Failed(description: message) }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
