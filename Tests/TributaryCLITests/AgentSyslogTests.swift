import Foundation
import Testing
import TributaryTestSupport

/// Syslog into `trib agent` from real clients nobody here wrote: util-linux
/// `logger`, Python's `logging.handlers.SysLogHandler`, syslog-ng's `loggen`.
extension AgentProcessTests {
@Suite struct AgentSyslogTests {
    static let inputs = """
          - type: syslog
            name: devices
            udp: 127.0.0.1:0
            tcp: 127.0.0.1:0
        """

    static func run(_ executable: String, _ arguments: [String]) throws -> ProcessResult {
        try ProcessResult.run(URL(fileURLWithPath: executable), arguments)
    }

    static func python(_ script: String) throws {
        let result = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script])
        #expect(result.status == 0, "python: \(result.stderr)")
    }

    @Test func loggerAndPythonMessagesArriveParsedWithTheirSender() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: Self.inputs)
        let (agent, agentHTTP) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        let ports = try await AgentSetup.ports(of: agent, input: "devices")
        let udp = try #require(ports["udp"])
        let tcp = try #require(ports["tcp"])

        // util-linux logger: RFC 5424 over UDP with structured data, RFC 3164 over TCP, octet counting.
        #expect(try Self.run("/usr/bin/logger", ["--udp", "-n", "127.0.0.1", "-P", String(udp), "-t", "billing", "-p", "local3.err",
                                                 "--msgid", "PAY42", "--sd-id", "order@32473", "--sd-param", #"id="1007""#,
                                                 "logger udp 5424"]).status == 0)
        #expect(try Self.run("/usr/bin/logger", ["--tcp", "-n", "127.0.0.1", "-P", String(tcp), "--rfc3164", "-t", "router",
                                                 "logger tcp 3164"]).status == 0)
        #expect(try Self.run("/usr/bin/logger", ["--tcp", "--octet-count", "-n", "127.0.0.1", "-P", String(tcp), "-t", "switch",
                                                 "logger tcp octet counted"]).status == 0)
        // Python's SysLogHandler: `<PRI>message\\0`, no timestamp, no host; UDP and TCP.
        try Self.python("""
            import logging, logging.handlers, socket
            for kind, name in ((socket.SOCK_DGRAM, "udp"), (socket.SOCK_STREAM, "tcp")):
                handler = logging.handlers.SysLogHandler(address=("127.0.0.1", \(udp) if name == "udp" else \(tcp)), socktype=kind)
                handler.setFormatter(logging.Formatter("pyapp: %(message)s"))
                log = logging.getLogger("t" + name); log.addHandler(handler); log.setLevel(logging.INFO)
                log.warning("python " + name + " warning")
                handler.close()
            # Neither RFC: kept as it came, and counted.
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b"plain text from a printer", ("127.0.0.1", \(udp)))
            """)

        do {
            try await AgentSetup.eventually("6 syslog messages") {
                try AgentSetup.lines(http: http, #"{source="syslog"}"#).count >= 6
            }
        } catch {
            Issue.record("only \(try AgentSetup.lines(http: http, #"{source="syslog"}"#).compactMap { $0["line"] }); agent said: \(agent.output.suffix(10))")
            throw error
        }
        let lines = try AgentSetup.lines(http: http, #"{source="syslog"}"#)
        func find(_ text: String) -> [String: Any]? { lines.first { ($0["line"] as? String) == text } }

        let udp5424 = try #require(find("logger udp 5424"), "\(lines)")
        #expect((udp5424["labels"] as? [String: String])?["app"] == "billing")
        #expect(udp5424["severity"] as? String == "error")
        let fields = udp5424["fields"] as? [String: String] ?? [:]
        #expect(fields["facility"] == "local3")
        #expect(fields["msgid"] == "PAY42")
        #expect(fields["order@32473.id"] == "1007")
        #expect(fields["source"] == "127.0.0.1")

        let tcp3164 = try #require(find("logger tcp 3164"), "\(lines)")
        #expect((tcp3164["labels"] as? [String: String])?["app"] == "router")
        #expect(find("logger tcp octet counted") != nil)

        for name in ["udp", "tcp"] {
            let python = try #require(find("python \(name) warning"), "\(lines)")
            #expect((python["labels"] as? [String: String])?["app"] == "pyapp")
            #expect(python["severity"] as? String == "warning")
            // No hostname in the message: the sender's address stands in.
            #expect((python["labels"] as? [String: String])?["host"] == "127.0.0.1")
        }
        let raw = try #require(find("plain text from a printer"), "\(lines)")
        #expect((raw["fields"] as? [String: String])?["unparsed"] == "true")

        let page = try AgentSetup.agentPage(agentHTTP, "/metrics")
        #expect((AgentSetup.metric(page, #"tributary_agent_syslog_messages_total{source="127.0.0.1"}"#) ?? 0) >= 6)
        #expect(AgentSetup.metric(page, #"tributary_agent_syslog_format_total{format="raw"}"#) == 1)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/loggen"), "needs loggen (apt-get install syslog-ng-core)"))
    func loggenLoadInBothFormatsArrivesComplete() async throws {
        let node = try NodeSetup()
        let (nodeProcess, nodePort, http) = try await node.startWithHTTP()
        defer { nodeProcess.signal(SIGTERM) }
        let setup = try AgentSetup(node: node, nodePort: nodePort, inputs: Self.inputs)
        let (agent, _) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        let tcp = try #require(try await AgentSetup.ports(of: agent, input: "devices")["tcp"])
        // RFC 3164-style lines over TCP, then RFC 5424 with octet counting.
        let legacy = try Self.run("/usr/bin/loggen", ["--inet", "--stream", "--rate", "20000", "--size", "200",
                                                      "--number", "5000", "127.0.0.1", String(tcp)])
        #expect(legacy.status == 0, "\(legacy.stderr)")
        let modern = try Self.run("/usr/bin/loggen", ["--inet", "--stream", "--syslog-proto", "--rate", "20000", "--size", "200",
                                                      "--number", "5000", "127.0.0.1", String(tcp)])
        #expect(modern.status == 0, "\(modern.stderr)")
        try await AgentSetup.eventually("10000 loggen messages") {
            try AgentSetup.lines(http: http, #"{source="syslog"}"#).count >= 10_000
        }
        let lines = try AgentSetup.lines(http: http, #"{source="syslog"}"#)
        #expect(lines.count == 10_000)
        let apps = Set(lines.compactMap { ($0["labels"] as? [String: String])?["app"] })
        #expect(apps.allSatisfy { $0.hasPrefix("prg") }, "\(apps.prefix(5))")
        let formats = lines.compactMap { ($0["fields"] as? [String: String])?["unparsed"] }
        #expect(formats.isEmpty, "every loggen message parses")
    }
}
}
