import Foundation
import TributaryTestSupport

/// A client that sends a request over HTTPS and can leave without reading
/// the answer (to test what the node does when a client disconnects): a
/// Python process with the system's TLS, killed to leave, so the node sees
/// the connection close as it would for any client that goes away.
final class RawHTTPConnection {
    private let process: RunningProcess

    private init(process: RunningProcess) {
        self.process = process
    }

    /// Connects, sends the request, and returns once it is sent.
    static func open(port: Int, path: String, ca: String, token: String = "token-for-acme") async throws -> RawHTTPConnection {
        let process = try RunningProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import socket, ssl, sys, time
            context = ssl.create_default_context(cafile="\(ca)")
            context.check_hostname = False
            raw = socket.create_connection(("127.0.0.1", \(port)))
            tls = context.wrap_socket(raw)
            tls.sendall(b"GET \(path) HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nAuthorization: Bearer \(token)\\r\\n\\r\\n")
            print("sent", flush=True)
            time.sleep(600)
            """])
        _ = try await process.waitForLine { $0.contains("sent") }
        return RawHTTPConnection(process: process)
    }

    /// Leaves: the node sees the connection close.
    func close() {
        process.signal(SIGKILL)
    }

    deinit { close() }
}
