import Foundation
import Testing
import TributaryAgent
import TributaryConfig

/// A central configuration joined with an agent's local file, and the
/// validator the node runs at push time.
@Suite struct CentralConfigurationTests {
    static func localFile(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("central-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("agent.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let local = """
        nodes: [node-a.example:7400, node-b.example:7400]
        token: ${AGENT_TOKEN}
        insecure: true
        state_dir: state
        central: {group: web}
        inputs:
          - {type: syslog, name: ignored, udp: 127.0.0.1:0}

        """

    @Test func theLocalFileKeepsHowToReachTheNodesAndTheCentralBodyTheRest() throws {
        let path = try Self.localFile(Self.local)
        let body = "labels: {team: blue}\ninputs:\n  - {type: file, name: app, paths: [logs/*.log]}\n"
        let merged = try CentralConfiguration.merge(body: body, version: 7, group: "web", localPath: path, environment: ["AGENT_TOKEN": "t0ken-123"])
        #expect(merged.nodes.map(\.description) == ["node-a.example:7400", "node-b.example:7400"])
        #expect(merged.token == "t0ken-123")
        #expect(merged.centralGroup == "web")
        #expect(merged.inputs.map(\.name) == ["app"], "the local file's inputs are not the central ones")
        #expect(merged.labels.contains { $0.key == "team" && $0.value == "blue" })
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        #expect(merged.stateDirectory == directory + "/state", "relative paths are the local file's")
    }

    @Test func aLocalKeyInTheCentralBodyIsRefusedWithWhatToDo() throws {
        let path = try Self.localFile(Self.local)
        #expect {
            _ = try CentralConfiguration.merge(body: "inputs: []\ntoken: other\n", version: 1, group: "web", localPath: path, environment: [:])
        } throws: { error in
            let text = "\(error)"
            return text.contains("central configuration web v1:2: token:") && text.contains("kept in each agent's local file")
        }
    }

    @Test func theValidatorsErrorsNameTheBodysLine() {
        #expect {
            _ = try CentralConfiguration.validate(body: "labels: {a: b}\ninputs:\n  - {type: syslog, udpp: 127.0.0.1:0}\n", group: "web")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("central configuration web:3: inputs[0].udpp") && text.contains("did you mean `udp`")
        }
    }

    @Test func aFlowMappingOrAnEmptyBodyIsRefused() {
        #expect(throws: ConfigError.self) { _ = try CentralConfiguration.validate(body: "{inputs: []}", group: "web") }
        #expect(throws: ConfigError.self) { _ = try CentralConfiguration.validate(body: "", group: "web") }
        #expect(throws: ConfigError.self) { _ = try CentralConfiguration.validate(body: "- a\n- b\n", group: "web") }
    }

    @Test func aLocalFileWithCentralNeedsNoInputs() throws {
        let path = try Self.localFile("nodes: [127.0.0.1:7400]\ninsecure: true\ntoken: abcdefgh\nstate_dir: s\ncentral: {group: web}\n")
        let local = try AgentConfiguration.load(path: path, environment: [:])
        #expect(local.inputs.isEmpty)
        #expect(local.centralGroup == "web")
    }

    @Test func theCacheKeepsTheLastAppliedVersionOfTheGroup() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("central-cache-\(UUID().uuidString)").path
        let cache = CentralConfigCache(stateDirectory: directory)
        #expect(cache.load(group: "web") == nil)
        try cache.store(.init(group: "web", version: 3, body: "inputs: []\n"))
        #expect(cache.load(group: "web") == .init(group: "web", version: 3, body: "inputs: []\n"))
        #expect(cache.load(group: "db") == nil, "another group's version is not run")
    }
}
