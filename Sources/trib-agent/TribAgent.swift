#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
// Not used here, but imported so that the static link (--static-swift-stdlib)
// lists Foundation's own static libraries (CoreFoundation, ICU) in an order
// that resolves: without it a debug link fails on CF and ICU symbols.
// TributaryAgent (through Yams) links Foundation anyway.
import Foundation
import TributaryAgent
import TributaryModel
import TributaryProcess

/// `trib-agent`: the agent alone, the same agent as `trib agent`, in an
/// executable that links neither the node, the benchmarks nor a web
/// framework, so that every host of a fleet pays only for the agent (its
/// size and resident memory: BENCHMARKS.md, "The lean agent"). Its few
/// arguments are parsed by hand for the same reason. After the start it
/// releases the code pages only the start used (`LoadedCodePages`).
@main
enum TribAgent {
    static let usage = """
        Usage: trib-agent --config FILE          run the agent (as `trib agent --config FILE`)
               trib-agent --check --config FILE  validate FILE and exit (as `trib check-config FILE`)
               trib-agent --version | --help
        Signals: SIGHUP re-reads the configuration; SIGTERM or SIGINT spools what the inputs read,
        waits up to 5 s for acknowledgements and exits. Documentation: docs/agent.md.
        """

    static func main() async {
        var arguments = CommandLine.arguments.dropFirst()
        var config: String?
        var check = false
        while let argument = arguments.popFirst() {
            switch argument {
            case "--config":
                guard let path = arguments.popFirst() else { fail("--config needs a file: trib-agent --config /etc/tributary/agent.yaml") }
                config = path
            case "--check":
                check = true
            case "--version":
                StandardOutput.say(TributaryVersion.string)
                return
            case "-h", "--help", "help":
                StandardOutput.say(usage)
                return
            default:
                if argument.hasPrefix("--config=") {
                    config = String(argument.dropFirst("--config=".count))
                } else {
                    fail("unknown argument \(argument)\n\(usage)")
                }
            }
        }
        guard let config else { fail("missing --config FILE\n\(usage)") }
        do {
            if check {
                let configuration = try AgentConfiguration.load(path: config)
                StandardOutput.say("\(config): valid agent configuration: \(configuration.inputs.count) input\(configuration.inputs.count == 1 ? "" : "s") "
                    + "(\(configuration.inputs.map(\.name).joined(separator: ", "))), forwarding to "
                    + "\(configuration.nodes.map(\.description).joined(separator: ", "))")
                return
            }
            try await AgentProcess.run(configPath: config)
        } catch {
            fail("\(error)")
        }
    }

    /// Prints `message` to standard error and exits 1 (ArgumentParser's
    /// exit status for a failed command, as `trib agent`).
    static func fail(_ message: String) -> Never {
        StandardOutput.complain("Error: \(message)")
        exit(1)
    }
}
