import ArgumentParser
import Foundation
import TributaryConfig
import TributaryDemo
import TributaryProcess

/// `trib demo`: a local cluster and agent with sample data.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a local three-node cluster (replication factor 2) and an agent, fed with sample logs, syslog, StatsD, host metrics and a deploy event, plus the incident scenario on a standalone node.",
        discussion: """
            Everything listens on free loopback ports. It prints what runs and example trib query commands, \
            and stops cleanly on Ctrl-C (SIGINT), SIGTERM or after --duration.
            """
    )

    @Option(help: "Directory for the configurations, certificates and data (kept afterwards); default: a temporary one, removed at the end.")
    var dir: String?

    @Option(help: "Stop after this long (e.g. 20s, 5m); default: run until Ctrl-C.")
    var duration: String?

    func run() async throws {
        var stopAfter: Duration?
        if let duration {
            guard let value = ConfigUnits.duration(duration), value > .zero else {
                throw ValidationError("--duration: expected a duration such as 20s or 5m, found \(duration)")
            }
            stopAfter = value
        }
        var demo = Demo()
        demo.directory = dir
        let limit = stopAfter
        try await demo.run(say: { say($0) }) {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await Signals.waitForStop() }
                if let limit {
                    group.addTask { try? await Task.sleep(for: limit) }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
