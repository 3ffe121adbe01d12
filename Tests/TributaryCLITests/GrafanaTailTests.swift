import Foundation
import Testing
import TributaryModel
import TributaryTestSupport

/// Loki's live tail (`/loki/api/v1/tail`, a WebSocket) as Grafana opens
/// it, over the node's HTTPS: a WebSocket client written with Python's
/// standard library (so the test does not trust our own framing) prints
/// each message it receives.
@Suite struct GrafanaTailTests {
    /// Connects, upgrades, prints `STATUS <line>` then `TEXT <payload>` per
    /// text message and `CLOSE <code> <reason>` at the end.
    /// `ca` nil: plain HTTP (`insecure: true`).
    static func client(port: Int, ca: String?, path: String, authorization: String) throws -> RunningProcess {
        try RunningProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import base64, os, socket, ssl, struct, sys
            sock = socket.create_connection(("127.0.0.1", \(port)))
            if \(ca == nil ? "False" : "True"):
                context = ssl.create_default_context(cafile="\(ca ?? "")")
                context.check_hostname = False
                sock = context.wrap_socket(sock)
            key = base64.b64encode(os.urandom(16)).decode()
            sock.sendall(("GET \(path) HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                          "Sec-WebSocket-Key: " + key + "\\r\\nSec-WebSocket-Version: 13\\r\\nAuthorization: \(authorization)\\r\\n\\r\\n").encode())
            head = b""
            while b"\\r\\n\\r\\n" not in head:
                chunk = sock.recv(1)
                if not chunk: break
                head += chunk
            print("STATUS " + head.split(b"\\r\\n")[0].decode(), flush=True)
            def exactly(n):
                data = b""
                while len(data) < n:
                    chunk = sock.recv(n - len(data))
                    if not chunk: raise EOFError()
                    data += chunk
                return data
            try:
                while True:
                    first, second = exactly(2)
                    length = second & 0x7f
                    if length == 126: length = struct.unpack(">H", exactly(2))[0]
                    elif length == 127: length = struct.unpack(">Q", exactly(8))[0]
                    payload = exactly(length)
                    opcode = first & 0x0f
                    if opcode == 1: print("TEXT " + payload.decode(), flush=True)
                    elif opcode == 8:
                        code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 0
                        print("CLOSE %d %s" % (code, payload[2:].decode()), flush=True)
                        break
                    elif opcode == 9:
                        mask = os.urandom(4)
                        sock.sendall(bytes([0x8a, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            except EOFError:
                print("EOF", flush=True)
            """])
    }

    @Test func tailSendsALineIngestedAfterConnecting() async throws {
        let setup = try NodeSetup()
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let basic = "Basic " + Data("acme:token-for-acme".utf8).base64EncodedString()
        let query = GrafanaClient.encode([("query", #"{app="tail"} |= "hello""#), ("limit", "100"), ("delay_for", "0")])
        let client = try Self.client(port: http, ca: setup.pki.caFile, path: "/loki/api/v1/tail?" + query, authorization: basic)
        defer { client.terminate() }
        let status = try await client.waitForLine { $0.hasPrefix("STATUS") }
        #expect(status.contains("101"), "\(status)")

        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let records: [Record] = [
            .log(LogRecord(timestamp: now, severity: .info, labels: try Labels(["app": "tail", "host": "h1"]), message: "hello from the tail test")),
            .log(LogRecord(timestamp: now + 1, severity: .info, labels: try Labels(["app": "tail", "host": "h1"]), message: "filtered out")),
        ]
        try await NodeQueryTests.send(records, port: port, caFile: setup.pki.caFile, agent: "agent-tail")
        let message = try await client.waitForLine { $0.hasPrefix("TEXT") }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(message.dropFirst(5).utf8)) as? [String: Any])
        // https://grafana.com/docs/loki/latest/reference/loki-http-api/#stream-logs
        let streams = try #require(json["streams"] as? [[String: Any]])
        #expect(streams.count == 1)
        #expect(streams.first?["stream"] as? [String: String] == ["app": "tail", "host": "h1"])
        #expect(streams.first?["values"] as? [[String]] == [[String(now), "hello from the tail test"]])
        #expect(json.keys.contains("dropped_entries"))
    }

    @Test func tailWithAWrongTokenClosesWithTheReason() async throws {
        let setup = try NodeSetup()
        let (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let client = try Self.client(port: http, ca: setup.pki.caFile, path: "/loki/api/v1/tail?query=%7Bapp%3D%22x%22%7D",
                                     authorization: "Bearer not-a-token")
        defer { client.terminate() }
        let close = try await client.waitForLine { $0.hasPrefix("CLOSE") || $0.hasPrefix("EOF") }
        #expect(close.hasPrefix("CLOSE 1008"), "\(close)")
        #expect(close.contains("not one of this node's tokens"), "\(close)")

        // Without the upgrade the endpoint says what it is.
        let plain = try NodeHTTP.get(port: http, "/loki/api/v1/tail?query=%7Bapp%3D%22x%22%7D")
        #expect(plain.status == 400 && plain.body.contains("WebSocket"), "\(plain.body)")
    }

    @Test func tailUpgradesOverPlainHTTPToo() async throws {
        let setup = try NodeSetup()
        try """
            node_id: node-a
            listen: 127.0.0.1:0
            http_listen: 127.0.0.1:0
            data_dir: data
            insecure: true
            tenants: [{name: acme, tokens: ["${TRIB_TEST_TOKEN}"]}]
            """.write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        let node = try RunningProcess(RepositoryPaths.tribExecutable, ["node", "--config", setup.configFile])
        defer { node.terminate() }
        let http = try await NodeHTTP.waitForAPI(node, ca: nil)
        let client = try Self.client(port: http, ca: nil, path: "/loki/api/v1/tail?query=%7Bapp%3D%22x%22%7D&delay_for=9",
                                     authorization: "Bearer token-for-acme")
        defer { client.terminate() }
        let status = try await client.waitForLine { $0.hasPrefix("STATUS") }
        #expect(status.contains("101"), "\(status)")
        let close = try await client.waitForLine { $0.hasPrefix("CLOSE") || $0.hasPrefix("EOF") }
        #expect(close.hasPrefix("CLOSE 1008") && close.contains("delay_for"), "a bad parameter closes with the reason: \(close)")
    }
}

