import Foundation
import Testing
import TributaryTestSupport

/// Mixed versions (`proto/PROTOCOL.md` 4.10): REPORT travels only where
/// both sides announced capability bit 1. The other side of each check is
/// the Python reference codec (`proto/reference/tribwire.py`), written
/// from the specification alone: as an agent that predates REPORT against
/// our node, and as a node that predates it against our agent.
extension AgentProcessTests {
@Suite struct FleetCapabilityTests {
    static let reference = RepositoryPaths.root.appendingPathComponent("proto/reference").path

    static func python(_ script: String) throws -> RunningProcess {
        try RunningProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import sys; sys.path.insert(0, '\(reference)')\n" + script])
    }

    @Test func anOldAgentIsListedFromItsHelloAndNeverOfferedReport() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let agent = try Self.python("""
            import socket, ssl, time, tribwire as tw
            context = ssl.create_default_context(cafile="\(node.pki.caFile)")
            context.check_hostname = False
            s = context.wrap_socket(socket.create_connection(("127.0.0.1", \(nodePort))))
            s.sendall(tw.encode_frame(tw.Hello([1], "old-agent-1", b"token-for-acme", tw.CAP_DEFLATE, "trib/0.0.9", "legacy-host")))
            data = b""
            while len(data) < 16 or len(data) < 16 + int.from_bytes(data[8:12], "big"):
                data += s.recv(65536)
            welcome, _ = tw.decode_frame(data)
            print("welcome capabilities", welcome.capabilities, flush=True)
            records = [tw.LogRecord(time.time_ns(), [("host", "legacy-host"), ("source", "syslog")], 6, b"from an old agent", [])]
            s.sendall(tw.encode_frame(tw.Batch.build("old-agent-1", 1, records)))
            data = b""
            while len(data) < 16 or len(data) < 16 + int.from_bytes(data[8:12], "big"):
                data += s.recv(65536)
            answer, _ = tw.decode_frame(data)
            print("answer", type(answer).__name__, flush=True)
            time.sleep(60)
            """)
        defer { agent.signal(SIGTERM) }
        let welcome = try await agent.waitForLine { $0.hasPrefix("welcome capabilities") || $0.contains("Error") }
        #expect(welcome == "welcome capabilities 1", "the node grants only what the agent offered: \(agent.output)")
        let answer = try await agent.waitForLine { $0.hasPrefix("answer") || $0.contains("Error") }
        #expect(answer == "answer Ack", "\(agent.output)")
        let agents = try NodeHTTP.get(port: http, "/api/v1/fleet").data["agents"] as? [[String: Any]] ?? []
        let old = try #require(agents.first { $0["id"] as? String == "old-agent-1" }, "\(agents)")
        #expect(old["reports"] as? Bool == false)
        #expect(old["version"] as? String == "0.0.9")
        #expect(old["host"] as? String == "legacy-host")
        #expect(old["state"] as? String == "up")
        #expect(old["started"] is NSNull && old["config_version"] is NSNull)
    }

    @Test func aNewAgentSendsNoReportToAnOldNode() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-oldnode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // An old node: grants only DEFLATE, acknowledges batches, and fails on
        // any frame type it does not know (0x30 among them).
        let oldNode = try Self.python("""
            import socket, time, tribwire as tw
            server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(1)
            print("port", server.getsockname()[1], flush=True)
            conn, _ = server.accept()
            data, pos, frames, types = b"", 0, 0, set()
            deadline = time.time() + 4
            conn.settimeout(0.2)
            while time.time() < deadline:
                try:
                    chunk = conn.recv(65536)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                data += chunk
                while len(data) - pos >= 16 and len(data) - pos >= 16 + int.from_bytes(data[pos + 8:pos + 12], "big"):
                    kind = data[pos + 5]
                    if kind == 0x30:
                        print("FAIL: a REPORT reached a node that did not grant it", flush=True); raise SystemExit(1)
                    frame, pos = tw.decode_frame(data, pos)
                    frames += 1; types.add(type(frame).__name__)
                    if isinstance(frame, tw.Hello):
                        print("hello capabilities", frame.capabilities, flush=True)
                        conn.sendall(tw.encode_frame(tw.Welcome(1, frame.capabilities & tw.CAP_DEFLATE, "old-node", 8 << 20, 100000, 64 << 20, 8, 0)))
                    elif isinstance(frame, tw.Batch):
                        conn.sendall(tw.encode_frame(tw.Ack(frame.sequence, [])))
            print("done", frames, "frames:", " ".join(sorted(types)), flush=True)
            """)
        defer { oldNode.signal(SIGTERM) }
        let portLine = try await oldNode.waitForLine { $0.hasPrefix("port") }
        let port = try #require(Int(portLine.split(separator: " ").last ?? ""))
        let config = directory.appendingPathComponent("agent.yaml").path
        try """
            nodes: [127.0.0.1:\(port)]
            token: token-for-acme
            insecure: true
            state_dir: state
            http_listen: 127.0.0.1:0
            batch: {max_age: 100ms}
            fleet: {report_interval: 200ms}
            inputs:
              - type: host_metrics
                interval: 200ms
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let agent = try RunningProcess(RepositoryPaths.tribExecutable, ["agent", "--config", config])
        defer { agent.signal(SIGTERM) }
        let hello = try await oldNode.waitForLine { $0.hasPrefix("hello capabilities") }
        #expect(hello == "hello capabilities 3", "a new agent offers DEFLATE and REPORT")
        let done = try await oldNode.waitForLine(timeout: 30) { $0.hasPrefix("done") || $0.hasPrefix("FAIL") }
        #expect(done.hasPrefix("done") && done.contains("Batch"), "\(done); agent said: \(agent.output.suffix(5))")
    }
}
}
