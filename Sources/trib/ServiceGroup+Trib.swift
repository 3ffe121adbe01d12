import Logging
import ServiceLifecycle

extension ServiceGroup {
    /// The one place `trib` handles stop signals: runs `service` until
    /// SIGTERM or SIGINT, which shut it down gracefully (it drains, within
    /// its own bounds, and the command exits 0). SIGHUP is the service's
    /// own (`Signals.reloads()`).
    static func runUntilStopped(_ service: some Service, logger: Logger) async throws {
        var groupLogger = logger
        groupLogger.logLevel = .warning
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: groupLogger))
        try await group.run()
    }
}
