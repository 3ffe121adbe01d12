import ArgumentParser
import Foundation
import TributaryNode

/// `trib check-config FILE`: validates a configuration without starting
/// anything, for CI pipelines and before a restart.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a node configuration file without starting anything.",
        discussion: "Exits 0 and prints a summary when the file is valid; exits 1 with the file, line, key and problem otherwise."
    )

    @Argument(help: "The YAML configuration file.")
    var file: String

    func run() throws {
        let configuration = try NodeConfiguration.load(path: file)
        let tenants = Set(configuration.credentials.tokens.values).union(configuration.credentials.certificateNames.values)
        say("\(file): valid node configuration: node \(configuration.nodeID), agents on \(configuration.listenHost):\(configuration.listenPort) "
            + "(\(configuration.tls == nil ? "plain TCP, insecure" : "TLS")), data in \(configuration.dataDirectory), "
            + "\(tenants.count) tenant\(tenants.count == 1 ? "" : "s")")
    }
}
