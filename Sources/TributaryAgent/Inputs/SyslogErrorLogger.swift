import Logging
import NIOCore

/// Logs (once per connection) why a syslog connection failed, e.g. a
/// device with a bad certificate, and counts it.
final class SyslogErrorLogger: ChannelInboundHandler {
    typealias InboundIn = Never
    private let logger: Logger
    private let metrics: AgentMetrics
    private var logged = false

    init(logger: Logger, metrics: AgentMetrics) {
        self.logger = logger
        self.metrics = metrics
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if !logged {
            logged = true
            let peer = context.remoteAddress?.ipAddress ?? "unknown"
            logger.warning("syslog connection from \(peer): \(error)")
            metrics.add("tributary_agent_input_errors_total", "syslog_connection")
        }
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension SyslogErrorLogger: Sendable {}
