import Testing
import TributaryConfig
@testable import TributaryAgent

@Suite struct AgentConfigurationTests {
    static func read(_ yaml: String) throws(ConfigError) -> AgentConfiguration {
        try AgentConfiguration.read(try ConfigReader.parse(yaml, file: "agent.yaml", environment: ["TOKEN": "secret-token"]), relativeTo: "/etc/trib")
    }

    static let base = """
        nodes: [node-a:7400, "[::1]:7400"]
        token: ${TOKEN}
        tls: {ca: ca.pem}
        state_dir: state

        """

    @Test func readsEveryInputKind() throws {
        let configuration = try Self.read(Self.base + #"""
            labels: {env: prod}
            spool: {max_bytes: 2GiB}
            batch: {max_bytes: 512KiB, max_age: 250ms, compression_level: 6}
            inputs:
              - type: file
                name: app
                paths: [/var/log/app/*.log]
                start_at: end
                multiline: {start: '^\d{4}-'}
                parse: json
                drop: ['healthz']
                redact: [{pattern: '\b\d{16}\b'}]
                labels: {app: shop}
              - type: syslog
                udp: 0.0.0.0:514
                tls: {listen: 0.0.0.0:6514, certificate: agent.pem, key: agent.key}
              - type: host_metrics
                interval: 30s
              - type: statsd
              - type: docker
            """#)
        #expect(configuration.nodes == [NodeAddress(host: "node-a", port: 7400), NodeAddress(host: "::1", port: 7400)])
        #expect(configuration.token == "secret-token")
        #expect(configuration.tls?.trustedCAFile == "/etc/trib/ca.pem")
        #expect(configuration.stateDirectory == "/etc/trib/state")
        #expect(configuration.spoolMaxBytes == 2 << 30)
        #expect(configuration.batch.maxBatchBytes == 512 << 10)
        #expect(configuration.batch.maxBatchAge == .milliseconds(250))
        #expect(configuration.inputs.map(\.name) == ["app", "syslog-1", "host_metrics-2", "statsd-3", "docker-4"])
        guard case .file(let file) = configuration.inputs[0].kind else { Issue.record("not a file input"); return }
        #expect(file.startAt == .end)
        #expect(file.multiline?.start.pattern == #"^\d{4}-"#)
        #expect(configuration.inputs[0].rules.parse == .json)
        #expect(configuration.inputs[0].rules.redact.first?.replacement == "[REDACTED]")
        guard case .docker = { if case .file(let docker) = configuration.inputs[4].kind { return docker.format } else { return .lines } }() else {
            Issue.record("docker input reads Docker's format"); return
        }
        guard case .syslog(let syslog) = configuration.inputs[1].kind else { Issue.record("not syslog"); return }
        #expect(syslog.udp?.port == 514)
        #expect(syslog.tls?.port == 6514)
    }

    @Test(arguments: [
        ("inputs: []", "inputs"),
        ("inputs: [{type: file}]", "inputs[0].paths"),
        ("inputs: [{type: files, paths: [a]}]", "inputs[0].type"),
        ("inputs: [{type: file, paths: [a], multiline: {start: '(['}}]", "inputs[0].multiline.start"),
        ("inputs: [{type: syslog}]", "inputs[0]"),
        ("inputs: [{type: syslog, udp: nowhere}]", "inputs[0].udp"),
        ("inputs: [{type: file, paths: [a], parse: xml}]", "inputs[0].parse"),
        ("inputs: [{type: file, paths: [a], labels: {bad-name: x}}]", "inputs[0].labels"),
        ("inputs: [{type: file, paths: [a], pathz: [b]}]", "inputs[0].pathz"),
        ("spool: {max_bytes: 10}\ninputs: [{type: statsd}]", "spool.max_bytes"),
        ("inputs: [{type: statsd, name: a}, {type: statsd, name: a}]", "inputs"),
    ])
    func errorsNameTheKey(_ yaml: String, _ path: String) {
        let error = #expect(throws: ConfigError.self) { try Self.read(Self.base + yaml) }
        #expect(error?.path == path, "\(String(describing: error))")
    }

    @Test func tlsOrInsecureAndATokenOrCertificateAreRequired() {
        let noTLS = #expect(throws: ConfigError.self) { try Self.read("nodes: [a:1]\ntoken: t\nstate_dir: s\ninputs: [{type: statsd}]") }
        #expect(noTLS?.message.contains("insecure: true") == true)
        let noToken = #expect(throws: ConfigError.self) { try Self.read("nodes: [a:1]\ntls: {ca: c}\nstate_dir: s\ninputs: [{type: statsd}]") }
        #expect(noToken?.path == "token")
        let badNode = #expect(throws: ConfigError.self) { try Self.read("nodes: [a]\ntoken: t\ntls: {ca: c}\nstate_dir: s\ninputs: [{type: statsd}]") }
        #expect(badNode?.path == "nodes")
    }
}

@Suite struct NodeRankingTests {
    @Test func agentsSpreadOverNodesAndEachKeepsAStableOrder() {
        let nodes = (1...3).map { NodeAddress(host: "node-\($0)", port: 7400) }
        var first: [NodeAddress: Int] = [:]
        for index in 0..<3000 {
            let ranked = NodeAddress.ranked(nodes, for: "agent-\(index)")
            #expect(Set(ranked) == Set(nodes))
            #expect(ranked == NodeAddress.ranked(nodes, for: "agent-\(index)"))
            first[ranked[0], default: 0] += 1
        }
        // Each node is preferred by about a third of the agents.
        #expect(first.values.allSatisfy { $0 > 800 && $0 < 1200 }, "\(first)")
    }
}
