import Logging
import ServiceLifecycle
import TributaryProcess

/// A started agent as a `Service`: reloads its configuration at each
/// SIGHUP, runs the central configuration connection when the local file
/// has `central:`, until the service group shuts down gracefully (SIGTERM,
/// SIGINT), then stops the agent: stops the inputs, spools what they read
/// and waits up to 5 s for acknowledgements.
struct AgentRunner: Service {
    let supervisor: AgentSupervisor
    /// Watched since before the agent started.
    let reloads: AsyncStream<Int32>

    func run() async {
        let configuration = await supervisor.configuration
        let agentID = await supervisor.agent.agentID
        let central = configuration.centralGroup.map { group in
            let client = CentralConfigClient(group: group, agentID: agentID, nodes: configuration.nodes, token: configuration.token,
                                             tls: configuration.tls, serverName: configuration.serverName, logger: supervisor.logger)
            let supervisor = self.supervisor
            return Task {
                await client.run(running: { await supervisor.centralVersion }, apply: { await supervisor.apply($0) })
            }
        }
        for await _ in reloads.cancelOnGracefulShutdown() {
            await supervisor.reloadLocal()
        }
        central?.cancel()
        StandardOutput.say("stopping: spooling what the inputs read and waiting for acknowledgements")
        await supervisor.stop()
    }
}
