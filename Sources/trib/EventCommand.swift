import ArgumentParser
import Foundation
import TributaryAgent
import TributaryConfig
import TributaryHTTPClient
import TributaryModel
import TributaryNode
import TributaryTLS

/// `trib event --type deploy --label service=checkout --message "v1.4.2"`:
/// records a change event (a deploy, a config change) through the local
/// agent or straight to a node.
struct EventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Send one change event (a deploy, a config change) through the local agent, or straight to a node.",
        discussion: """
            Through the agent (default): POSTs to the agent's HTTP port and returns once the event is in \
            its spool. With --node: connects to that node (TLS with --ca, or --insecure) with --token \
            and returns once the node acknowledged it. Exit status 0 means the event is safe.
            """
    )

    @Option(help: "The event type, e.g. deploy, config_change, incident.")
    var type: String

    @Option(help: "The event text, e.g. the version deployed.")
    var message: String = ""

    @Option(name: .customLong("label"), help: "A label name=value (repeatable), e.g. service=checkout.")
    var labels: [String] = []

    @Option(help: "The local agent's HTTP address.")
    var agent: String = "127.0.0.1:7402"

    @Option(help: "Send straight to this node's agent address (host:port) instead of the agent.")
    var node: String?

    @Option(help: "With --node: the tenant token (default: $TRIB_TOKEN).")
    var token: String?

    @Option(help: "With --node: the CA bundle that issued the node's certificate (default: $TRIB_CA).")
    var ca: String?

    @Option(help: "With --node: the name the node's certificate carries (default: the node's host).")
    var serverName: String?

    @Flag(help: "With --node: plain TCP (only for a node configured with insecure: true).")
    var insecure = false

    func run() async throws {
        var pairs: [(String, String)] = []
        for label in labels {
            guard let equals = label.firstIndex(of: "="), equals != label.startIndex else {
                throw ValidationError("--label \(label): expected name=value, e.g. service=checkout")
            }
            pairs.append((String(label[..<equals]), String(label[label.index(after: equals)...])))
        }
        let body = ChangeEventJSON.encode(type: type, message: message, labels: pairs, timestamp: nil)
        if let node {
            guard let (host, port) = ConfigUnits.hostPort(node) else {
                throw ValidationError("--node \(node): expected host:port")
            }
            var base = Labels.empty
            base = try base.setting("host", to: ProcessInfo.processInfo.hostName)
            let event: ChangeEvent
            switch ChangeEventJSON.decode(body, labels: base) {
            case .success(let decoded): event = decoded
            case .failure(let problem): throw ValidationError(problem.description)
            }
            var tls: TLSConfiguration?
            if !insecure {
                var configuration = TLSConfiguration()
                configuration.trustedCAFile = ca ?? ProcessInfo.processInfo.environment["TRIB_CA"]
                tls = configuration
            }
            let secret = token ?? ProcessInfo.processInfo.environment["TRIB_TOKEN"] ?? ""
            try await EventSender.send(event, to: NodeAddress(host: host, port: port), token: secret, tls: tls, serverName: serverName)
            say("event \(type) stored by \(node)")
            return
        }
        guard let (host, port) = ConfigUnits.hostPort(agent) else {
            throw ValidationError("--agent \(agent): expected host:port")
        }
        let (status, answer) = try HTTPGetClient.post(host: host, port: port, path: "/api/v1/events", json: [UInt8](body))
        guard status == 202 else {
            throw ValidationError("the agent at \(agent) answered \(status): \(answer)")
        }
        say("event \(type) accepted by the agent at \(agent)")
    }
}
