import Foundation
import Logging
import ServiceLifecycle
import TributaryNode

/// A started `trib node` as a `Service`: re-reads its TLS files,
/// topology and rule files at each SIGHUP (and reports configuration changes that need a
/// restart) until the service group shuts down gracefully (SIGTERM,
/// SIGINT), then stops the node: stops accepting, finishes the batches
/// being stored and writes blocks.
struct NodeRunner: Service {
    let node: NodeService
    let configuration: NodeConfiguration
    let path: String
    let logger: Logger
    /// Watched since before the node started.
    let reloads: AsyncStream<Int32>

    func run() async {
        for await _ in reloads.cancelOnGracefulShutdown() {
            await node.reload()
            // Everything else in the file takes effect at a restart: say so.
            do {
                let newer = try NodeConfiguration.load(path: path)
                await node.reloadRules(newer)
                let pending = configuration.changesNeedingRestart(newer)
                if !pending.isEmpty {
                    logger.warning("\(path) changed \(pending.joined(separator: ", ")): a running node cannot take that over; restart it to apply (TLS files and the topology were reloaded)")
                }
            } catch {
                logger.error("\(path) no longer loads (\(error)); the running configuration stays, fix the file before the next restart")
            }
        }
        say("stopping: finishing batches under way and writing blocks")
        await node.stop()
    }
}
