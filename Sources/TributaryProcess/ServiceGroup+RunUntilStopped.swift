import Logging
import ServiceLifecycle

extension ServiceGroup {
    /// The one place `trib` and `trib-agent` handle stop signals: runs `service` until the
    /// first SIGTERM or SIGINT of `signals`, which shuts it down gracefully
    /// (it drains, within its own bounds, and the command exits 0). SIGHUP
    /// is the service's own (`signals.reloads`). The signals are watched
    /// from before the service started (`Signals.watch()`), so none sent
    /// during the start is lost or kills the process.
    public static func runUntilStopped(_ service: some Service, signals: Signals.Watch, logger: Logger) async throws {
        var groupLogger = logger
        groupLogger.logLevel = .warning
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], gracefulShutdownSignals: [],
                                                      logger: groupLogger))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                for await _ in signals.stops {
                    await group.triggerGracefulShutdown()
                    return
                }
            }
            try await group.run()
            tasks.cancelAll()
        }
    }
}
