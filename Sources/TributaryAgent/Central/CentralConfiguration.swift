import Foundation
import TributaryConfig

/// A central configuration (`trib fleet config push`) as an agent runs it:
/// the group's YAML body joined with the keys the agent's local file keeps
/// (`localKeys`: how to reach the nodes and where its state lives), read
/// by the same `AgentConfiguration.read` as a local file — so the node's
/// check at push time and the agent's at apply time are one validator.
public enum CentralConfiguration {
    /// Keys only the local file may set; a central body naming one is refused.
    public static let localKeys = ["nodes", "token", "insecure", "tls", "state_dir", "central"]

    /// The agent configuration `body` (version `version` of `group`) gives
    /// when joined with the local file at `localPath`.
    public static func merge(body: String, version: UInt64, group: String, localPath: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> AgentConfiguration {
        let local: String
        do {
            local = try String(contentsOfFile: localPath, encoding: .utf8)
        } catch {
            throw ConfigError(file: localPath, path: "", line: nil, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        let localFile = (localPath as NSString).lastPathComponent
        let name = fileName(group: group, version: version)
        let text = try ConfigOverlay.join(body: body, file: name, local: local, localFile: localFile, localKeys: localKeys)
        let reader = try ConfigReader.parse(text, file: name, environment: environment)
        var configuration = try AgentConfiguration.read(reader, relativeTo: URL(fileURLWithPath: localPath).deletingLastPathComponent().path)
        configuration.centralVersion = version
        return configuration
    }

    /// Checks `body` for `group` as an agent would, with placeholder local
    /// keys; the error is the agent validator's own.
    public static func validate(body: String, group: String) throws(ConfigError) -> AgentConfiguration {
        let placeholder = """
            nodes: [127.0.0.1:7400]
            insecure: true
            token: central-configuration-check
            state_dir: /var/lib/trib-agent
            central: {group: \(group)}

            """
        let name = fileName(group: group, version: nil)
        let text = try ConfigOverlay.join(body: body, file: name, local: placeholder, localFile: "the agent's local file", localKeys: localKeys)
        return try AgentConfiguration.read(try ConfigReader.parse(text, file: name, environment: [:]), relativeTo: "/")
    }

    static func fileName(group: String, version: UInt64?) -> String {
        "central configuration \(group)" + (version.map { " v\($0)" } ?? "")
    }
}
