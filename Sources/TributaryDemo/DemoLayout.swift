import Foundation
import TributaryFreePort
import TributaryNode
import TributaryPKI

/// The demo's directory: a development CA and certificates, a topology of
/// three nodes (replication factor 2), a configuration file per node and
/// one for the agent, all on free loopback ports. The files are ordinary
/// configurations: `trib node --config` and `trib agent --config` run them.
struct DemoLayout: Sendable {
    struct Node: Sendable {
        let id: String
        let agentPort: Int
        let httpPort: Int
        let peerPort: Int
        var configFile: String
    }

    let directory: String
    /// The demo tenant's token: ingest (the agent) and query.
    let token: String
    /// A token with the query and admin roles (`trib cluster status`, and
    /// the web console, whose cluster page needs admin).
    let adminToken: String
    let nodes: [Node]
    let agentConfigFile: String
    let agentHTTPPort: Int
    let syslogUDPPort: Int
    let syslogTCPPort: Int
    let statsdPort: Int
    let appLog: String
    /// A standalone node for the incident scenario (its rule file is
    /// `rules/checkout.yaml`): alone, it holds every line and pattern of
    /// checkout, whichever way the cluster would place them.
    let incidentNode: Node

    /// The CA that issued every certificate (`--ca` of the printed commands).
    var caFile: String { directory + "/certs/ca.pem" }

    static func create(in directory: String) throws -> DemoLayout {
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: directory + "/certs", withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
        let authority = try CertificateAuthority.loadOrCreate(directory: URL(fileURLWithPath: directory + "/certs"))
        let ids = ["node-a", "node-b", "node-c"]
        for id in ids + ["agent", "node-inc"] {
            _ = try CertificateFiles.write(authority.issue(commonName: id, dnsNames: [id, "localhost"], ipAddresses: ["127.0.0.1"]),
                                           name: id, to: URL(fileURLWithPath: directory + "/certs"))
        }
        let token = "demo-" + (0..<24).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement()!) }.joined()
        let adminToken = "admin-" + (0..<24).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement()!) }.joined()
        var nodes: [Node] = []
        for id in ids {
            nodes.append(Node(id: id, agentPort: try FreePort.find(), httpPort: try FreePort.find(), peerPort: try FreePort.find(),
                              configFile: directory + "/\(id).yaml"))
        }
        var topology = """
            # The demo cluster: three nodes, every partition on two of them.
            replication_factor: 2
            write_quorum: 1
            partition_span: 1h
            nodes:

            """
        for node in nodes {
            topology += "  - {id: \(node.id), peer: 127.0.0.1:\(node.peerPort), agent: 127.0.0.1:\(node.agentPort), http: 127.0.0.1:\(node.httpPort)}\n"
        }
        topology += "epochs:\n  - nodes: [\(ids.joined(separator: ", "))]\n"
        try topology.write(toFile: directory + "/topology.yaml", atomically: true, encoding: .utf8)
        for node in nodes {
            try """
                # Demo node \(node.id) (trib demo wrote this file; trib node --config runs it too).
                node_id: \(node.id)
                listen: 127.0.0.1:\(node.agentPort)
                http_listen: 127.0.0.1:\(node.httpPort)
                data_dir: data-\(node.id)
                tls:
                  certificate: certs/\(node.id).pem
                  key: certs/\(node.id).key
                  ca: certs/ca.pem
                tenants:
                  - name: demo
                    tokens: ["\(token)", {token: "\(adminToken)", roles: [query, admin]}]
                cluster:
                  topology: topology.yaml
                  peer_listen: 127.0.0.1:\(node.peerPort)
                  repair_interval: 30s

                """.write(toFile: node.configFile, atomically: true, encoding: .utf8)
        }
        let agentHTTPPort = try FreePort.find()
        let syslogUDPPort = try FreePort.find()
        let syslogTCPPort = try FreePort.find()
        let statsdPort = try FreePort.find()
        let appLog = directory + "/logs/checkout.log"
        _ = FileManager.default.createFile(atPath: appLog, contents: nil)
        let agentConfigFile = directory + "/agent.yaml"
        try """
            # The demo agent (trib agent --config runs this file too).
            nodes: [\(nodes.map { "127.0.0.1:\($0.agentPort)" }.joined(separator: ", "))]
            token: \(token)
            tls:
              ca: certs/ca.pem
              server_name: localhost
            state_dir: agent-state
            http_listen: 127.0.0.1:\(agentHTTPPort)
            labels: {env: demo}
            batch:
              max_age: 500ms
            inputs:
              - type: file
                name: checkout
                paths: [logs/*.log]
                start_at: beginning
                parse: logfmt
                redact: [{pattern: 'card=\\d+', replacement: 'card=[redacted]'}]
                labels: {app: checkout}
              - type: syslog
                name: network
                udp: 127.0.0.1:\(syslogUDPPort)
                tcp: 127.0.0.1:\(syslogTCPPort)
              - type: statsd
                listen: 127.0.0.1:\(statsdPort)
                flush_interval: 2s
              - type: host_metrics
                interval: 5s

            """.write(toFile: agentConfigFile, atomically: true, encoding: .utf8)
        let incidentNode = Node(id: "node-inc", agentPort: try FreePort.find(), httpPort: try FreePort.find(), peerPort: 0,
                                configFile: directory + "/node-inc.yaml")
        try FileManager.default.createDirectory(atPath: directory + "/rules", withIntermediateDirectories: true)
        try IncidentScenario.rules(interval: "2s").write(toFile: directory + "/rules/checkout.yaml", atomically: true, encoding: .utf8)
        try """
            # The demo's incident scenario node (standalone): an anomaly rule on checkout's memory.
            node_id: node-inc
            listen: 127.0.0.1:\(incidentNode.agentPort)
            http_listen: 127.0.0.1:\(incidentNode.httpPort)
            data_dir: data-node-inc
            tls:
              certificate: certs/node-inc.pem
              key: certs/node-inc.key
              ca: certs/ca.pem
            tenants:
              - name: demo
                tokens: ["\(token)", {token: "\(adminToken)", roles: [query, admin]}]
            rules: [rules/checkout.yaml]

            """.write(toFile: incidentNode.configFile, atomically: true, encoding: .utf8)
        return DemoLayout(directory: directory, token: token, adminToken: adminToken, nodes: nodes, agentConfigFile: agentConfigFile, agentHTTPPort: agentHTTPPort,
                          syslogUDPPort: syslogUDPPort, syslogTCPPort: syslogTCPPort, statsdPort: statsdPort, appLog: appLog,
                          incidentNode: incidentNode)
    }
}
