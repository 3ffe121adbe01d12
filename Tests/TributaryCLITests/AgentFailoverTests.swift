import Foundation
import Testing
import TributaryTestSupport

/// An agent with two nodes: it prefers one and moves to the other when
/// that one goes away, losing and repeating nothing.
extension AgentProcessTests {
@Suite struct AgentFailoverTests {
    @Test func whenItsNodeStopsTheAgentMovesToTheOtherAndNothingIsLost() async throws {
        let portA = try NodeSetup.freePort()
        let portB = try NodeSetup.freePort()
        let nodeA = try NodeSetup(port: portA)
        // A second node from the same CA, in its own data directory.
        try nodeA.pki.issue("node-b")
        let configB = nodeA.directory.appendingPathComponent("node-b.yaml").path
        try """
            node_id: node-b
            listen: 127.0.0.1:\(portB)
            http_listen: 127.0.0.1:0
            data_dir: data-b
            tls: {certificate: node-b.pem, key: node-b.key}
            tenants: [{name: acme, tokens: ["${TRIB_TEST_TOKEN}"]}]
            """.write(toFile: configB, atomically: true, encoding: .utf8)
        let (processA, _, httpA) = try await nodeA.startWithHTTP()
        let processB = try RunningProcess(RepositoryPaths.tribExecutable, ["node", "--config", configB])
        let httpB = try await NodeHTTP.waitForAPI(processB, ca: nodeA.pki.caFile)
        defer {
            processA.signal(SIGTERM)
            processB.signal(SIGTERM)
        }
        let setup = try AgentSetup(node: nodeA, nodePort: portA, inputs: """
              - type: file
                paths: [LOGS/app.log]
            """)
        // Both nodes in the agent's list.
        var yaml = try String(contentsOfFile: setup.configFile, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "nodes: [127.0.0.1:\(portA)]", with: "nodes: [127.0.0.1:\(portA), 127.0.0.1:\(portB)]")
        try yaml.write(toFile: setup.configFile, atomically: true, encoding: .utf8)
        let (agent, _) = try await setup.start()
        defer { agent.signal(SIGTERM) }
        let writer = try AgentFileTests.Writer(path: setup.logDirectory.appendingPathComponent("app.log").path)
        try writer.write(1000)
        func count(_ http: Int) -> Int { (try? AgentSetup.lines(http: http, #"{source="file"}"#).count) ?? 0 }
        try await AgentSetup.eventually("the first 1000 lines on one node") { count(httpA) + count(httpB) >= 1000 }
        let preferredIsA = count(httpA) >= 1000
        #expect(count(preferredIsA ? httpB : httpA) == 0, "one agent keeps to one node")

        // Its node stops; the agent carries on with the other.
        let preferred = preferredIsA ? processA : processB
        preferred.signal(SIGTERM)
        #expect(await preferred.waitForExit() == 0)
        try writer.write(1000)
        let other = preferredIsA ? httpB : httpA
        try await AgentSetup.eventually("the next 1000 lines on the other node") { count(other) >= 1000 }
        try await Task.sleep(for: .milliseconds(500))

        // Restart the stopped node to read what it kept: together, every line once.
        let restartedHTTP: Int
        let restarted: RunningProcess
        if preferredIsA {
            let (process, _, http) = try await nodeA.startWithHTTP()
            restarted = process
            restartedHTTP = http
        } else {
            restarted = try RunningProcess(RepositoryPaths.tribExecutable, ["node", "--config", configB])
            restartedHTTP = try await NodeHTTP.waitForAPI(restarted, ca: nodeA.pki.caFile)
        }
        let all = try AgentSetup.lines(http: restartedHTTP, #"{source="file"}"#) + AgentSetup.lines(http: other, #"{source="file"}"#)
        AgentFileTests.expectExactlyOnce(AgentFileTests.numbers(all), 2000)
        restarted.signal(SIGTERM)
    }
}
}
