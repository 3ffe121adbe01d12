import Logging
import ServiceLifecycle
import TributaryProcess

/// A started agent as a `Service`: reloads its configuration at each
/// SIGHUP (`AgentProcess.reload`) until the service group shuts down
/// gracefully (SIGTERM, SIGINT), then stops the agent: stops the inputs,
/// spools what they read and waits up to 5 s for acknowledgements.
struct AgentRunner: Service {
    let agent: AgentService
    let configuration: AgentConfiguration
    let path: String
    let logger: Logger
    /// Watched since before the agent started.
    let reloads: AsyncStream<Int32>

    func run() async {
        var (agent, configuration) = (self.agent, self.configuration)
        for await _ in reloads.cancelOnGracefulShutdown() {
            (agent, configuration) = await AgentProcess.reload(agent, configuration, path: path, logger: logger)
        }
        StandardOutput.say("stopping: spooling what the inputs read and waiting for acknowledgements")
        await agent.stop()
    }
}
