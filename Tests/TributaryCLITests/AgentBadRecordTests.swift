import Foundation
import Testing
import TributaryTestSupport

/// A record a node cannot take must never take others with it: bad times
/// and over-long fields are repaired at the agent, and what a node still
/// refuses for good is isolated, dead-lettered alone, and not counted as
/// delivered.
extension AgentProcessTests {
@Suite struct AgentBadRecordTests {
    static let inputs = """
          - type: syslog
            name: devices
            tcp: 127.0.0.1:0
        """

    /// Sends `lines` over one TCP connection, newline-framed, with Python.
    static func sendTCP(port: Int, _ lines: [String]) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("syslog-\(UUID().uuidString).txt")
        try lines.joined(separator: "\n").appending("\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import socket
            data = open("\(file.path)", "rb").read()
            s = socket.create_connection(("127.0.0.1", \(port)))
            s.sendall(data)
            s.close()
            """])
        #expect(result.status == 0, "python: \(result.stderr)")
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return formatter.string(from: date)
    }

    @Test func badTimesAndOverlongFieldsAreRepairedAndTakeNoOtherMessageWithThem() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: Self.inputs)
        let (agent, agentHTTP) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        let tcp = try #require(try await AgentSetup.ports(of: agent, input: "devices")["tcp"])

        let now = Self.rfc3339(Date())
        let wideHost = String(repeating: "é", count: 3000)          // 6,000 bytes, cut at 255 splits an é
        let wideSDID = String(repeating: "x", count: 5000) + "@1"   // a 5,000-byte SD-ID
        let bad = [
            "<34>1 1970-01-01T00:00:01Z old-host app - - - bad 1970",
            "<34>1 2030-06-01T00:00:00Z future-host app - - - bad 2030",
            "<189>Mar  1 00:00:01 cisco-1 %SYS-5-CONFIG_I: bad unset clock",
            "<34>1 \(now) \(wideHost) app - - - bad wide host",
            "<34>1 \(now) sd-host app - - [\(wideSDID) k=\"v\"] bad wide sd-id",
        ]
        var lines: [String] = []
        for index in 0..<600 {
            lines.append("<13>1 \(now) switch-\(index % 20) app - - - good \(index)")
            if index % 120 == 60 { lines.append(bad[index / 120]) }
        }
        try Self.sendTCP(port: tcp, lines)

        try await AgentSetup.eventually("605 messages") {
            try AgentSetup.lines(http: http, #"{source="syslog"}"#, limit: 10_000).count >= 605
        }
        let stored = try AgentSetup.lines(http: http, #"{source="syslog"}"#, limit: 10_000)
        let texts = stored.compactMap { $0["line"] as? String }
        #expect(stored.count == 605, "every message once")
        for index in 0..<600 { #expect(texts.contains("good \(index)"), "good \(index) lost") }
        func find(_ text: String) -> [String: Any]? { stored.first { ($0["line"] as? String) == text } }
        let old = try #require(find("bad 1970"))
        let oldFields = old["fields"] as? [String: String] ?? [:]
        #expect(oldFields["original_timestamp"] == "1970-01-01T00:00:01Z")
        #expect(oldFields["repaired"] == "timestamp")
        #expect((find("bad 2030")?["fields"] as? [String: String])?["original_timestamp"] == "2030-06-01T00:00:00Z")
        #expect((find("bad unset clock")?["fields"] as? [String: String])?["repaired"] == "timestamp")
        let host = try #require((find("bad wide host")?["labels"] as? [String: String])?["host"])
        #expect(host == String(repeating: "é", count: 127), "cut on a character boundary at 254 bytes")
        let sd = try #require(find("bad wide sd-id")?["fields"] as? [String: String])
        #expect(sd["truncated"] == "field_name")
        #expect(sd.keys.contains { $0.hasPrefix("xxxx") && $0.utf8.count == 4096 })

        let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
        #expect(AgentSetup.metric(page, #"tributary_agent_repaired_total{reason="timestamp"}"#) == 3)
        #expect(AgentSetup.metric(page, #"tributary_agent_repaired_total{reason="field_name"}"#) == 1)
        #expect(AgentSetup.metric(page, #"tributary_agent_dropped_total{reason="unencodable"}"#) ?? 0 == 0)
        #expect(AgentSetup.metric(page, #"tributary_agent_records_out_total{input="devices"}"#) == 605)
    }

    @Test func aRecordTheNodeRefusesIsDeadLetteredAloneAndTheRestDelivered() async throws {
        // The node keeps an hour; the agent's own bound is the default week,
        // so two-day-old records reach the node and are refused (TOO_OLD).
        let node = try NodeSetup(extra: """
            limits:
              max_record_age: 1h
            """)
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: Self.inputs)
        let (agent, agentHTTP) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        let tcp = try #require(try await AgentSetup.ports(of: agent, input: "devices")["tcp"])

        let now = Self.rfc3339(Date())
        let twoDaysAgo = Self.rfc3339(Date().addingTimeInterval(-2 * 86_400))
        var lines: [String] = []
        for index in 0..<400 {
            lines.append("<13>1 \(now) sw-\(index % 7) app - - - good \(index)")
            if index % 80 == 3 { lines.append("<13>1 \(twoDaysAgo) sw-late app - - - late \(index)") }
        }
        try Self.sendTCP(port: tcp, lines)

        let deadLetterFile = setup.stateDirectory + "/dead-letter.jsonl"
        try await AgentSetup.eventually("400 delivered and 5 dead-lettered") {
            let delivered = try AgentSetup.lines(http: http, #"{source="syslog"}"#, limit: 10_000).count
            let dead = (try? String(contentsOfFile: deadLetterFile, encoding: .utf8))?.split(separator: "\n").count ?? 0
            return delivered >= 400 && dead >= 5
        }
        let texts = try AgentSetup.lines(http: http, #"{source="syslog"}"#, limit: 10_000).compactMap { $0["line"] as? String }
        #expect(texts.count == 400, "the good ones, once each")
        #expect(Set(texts) == Set((0..<400).map { "good \($0)" }))
        let dead = try String(contentsOfFile: deadLetterFile, encoding: .utf8).split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(Set(dead.compactMap { $0["message"] as? String }) == Set([3, 83, 163, 243, 323].map { "late \($0)" }))
        #expect(dead.allSatisfy { ($0["reason"] as? String)?.hasPrefix("TOO_OLD") == true })
        #expect(dead.allSatisfy { ($0["labels"] as? [String: String])?["host"] == "sw-late" })

        let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
        #expect(AgentSetup.metric(page, #"tributary_agent_dead_letter_total{reason="too_old"}"#) == 5)
        // Refused records are not counted as delivered.
        #expect(AgentSetup.metric(page, #"tributary_agent_records_out_total{input="devices"}"#) == 400)
        #expect(agent.output.contains { $0.contains("dead-letter.jsonl") })
    }
}
}
