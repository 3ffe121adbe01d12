import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// Runs one Hummingbird application in the background for a component
/// that starts and stops with its owner (the node's API, the agent's
/// local port): `start` returns once the server listens and tells the
/// port it got; `stop` stops accepting and lets requests under way finish
/// for at most 5 seconds. The application runs in its own `ServiceGroup`
/// without signal handling: `trib` handles signals in one place and stops
/// its components in order.
public final class HTTPServerHost: Sendable {
    /// The port the server listens on (the one asked for, or the one the
    /// system chose for port 0).
    public let port: Int
    private let services: ServiceGroup
    private let task: Task<Void, Error>

    private init(port: Int, services: ServiceGroup, task: Task<Void, Error>) {
        self.port = port
        self.services = services
        self.task = task
    }

    /// Starts `router` on `host:port` with `server` (HTTP/1 unless given).
    /// Throws the server's own error when it failed at start (a port in
    /// use), or `HTTPServerHostStopped` when it stopped without one.
    /// Logs below warning are dropped.
    public static func start<Responder: HTTPResponderBuilder>(
        router: Responder, server: HTTPServerBuilder = .http1(), host: String, port: Int, serverName: String, logger: Logger
    ) async throws -> HTTPServerHost where Responder.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (bound, continuation) = AsyncStream<Int>.makeStream()
        var httpLogger = logger
        httpLogger.logLevel = .warning
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: serverName),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: httpLogger)
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: httpLogger))
        let task = Task { try await services.run() }
        var iterator = bound.makeAsyncIterator()
        guard let actual = await iterator.next() else {
            task.cancel()
            _ = try await task.value
            throw HTTPServerHostStopped(address: "\(host):\(port)")
        }
        return HTTPServerHost(port: actual, services: services, task: task)
    }

    /// Stops accepting and lets requests under way finish (at most 5 s).
    public func stop() async {
        await services.triggerGracefulShutdown()
        let task = self.task
        let timeout = Task {
            try await Task.sleep(for: .seconds(5))
            task.cancel()
        }
        _ = try? await task.value
        timeout.cancel()
    }
}
