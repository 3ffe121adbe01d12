import NIOCore

/// Stops a query when its client goes: the server allows half-closed
/// connections, so a client that leaves shows as `inputClosed` (FIN) or
/// `channelInactive` (reset), not as a closed channel. Put first in the
/// pipeline for the time a query runs, then removed by name.
final class DisconnectWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    static let name = "tributary.query-disconnect-watcher"

    private let budget: QueryBudget

    init(_ budget: QueryBudget) {
        self.budget = budget
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent { budget.cancel(.clientGone) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        budget.cancel(.clientGone)
        context.fireChannelInactive()
    }

    /// Watches `channel` for `budget` until `unwatch`.
    static func watch(_ channel: any Channel, _ budget: QueryBudget) async {
        _ = try? await channel.eventLoop.submit {
            if !channel.isActive { budget.cancel(.clientGone) }
            let pipeline = channel.pipeline.syncOperations
            // One per connection: a watcher left by an answer never written goes.
            if (try? pipeline.context(name: name)) != nil { _ = pipeline.removeHandler(name: name) }
            try pipeline.addHandler(DisconnectWatcher(budget), name: name, position: .first)
        }.get()
    }

    static func unwatch(_ channel: any Channel) {
        channel.pipeline.removeHandler(name: name, promise: nil)
    }
}

@available(*, unavailable)
extension DisconnectWatcher: Sendable {}
