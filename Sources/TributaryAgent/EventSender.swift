import Foundation
import NIOCore
import NIOPosix
import TributaryModel
import TributaryTLS
import TributaryWire

/// Sends one change event straight to a node (`trib event --node …`), for
/// CI runners without an agent: HELLO, one BATCH, wait for its ACK. The
/// agent id is fresh each time (`event-<uuid>`), so the node stores every
/// call once; a failed call can simply be repeated.
public enum EventSender {
    public static func send(_ event: ChangeEvent, to node: NodeAddress, token: String, tls: TLSConfiguration?, serverName: String?,
                            timeout: Duration = .seconds(15)) async throws {
        try await send(records: [.event(event)], to: node, token: token, tls: tls, serverName: serverName, timeout: timeout)
    }

    /// Sends `records` as one batch the same way (the demo's backfilled
    /// history): keep it within the node's batch limits (a few thousand
    /// records).
    public static func send(records: [Record], to node: NodeAddress, token: String, tls: TLSConfiguration?, serverName: String?,
                            timeout: Duration = .seconds(15)) async throws {
        let agentID = "event-" + UUID().uuidString.lowercased()
        let batch = try BatchEncoder(compression: nil).encode(records, agentID: agentID, sequence: 1)
        let context = try tls.map { configuration throws(TLSError) in try TLSContext(configuration: configuration, role: .client) }
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Void.self)
        let hello = Hello(agentID: agentID, token: Array(token.utf8), capabilities: [], software: TributaryVersion.software,
                          host: ProcessInfo.processInfo.hostName)
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let context { try pipeline.addHandler(TLSHandler(context: context, serverHostname: serverName ?? node.host)) }
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
                    try pipeline.addHandler(OneBatchClient(hello: hello, batch: batch, done: promise))
                }
            }
            .connect(host: node.host, port: node.port).get()
        let timer = group.next().scheduleTask(in: .seconds(Int64(timeout.components.seconds))) {
            promise.fail(EventSenderError.failed("no answer from \(node) within \(timeout)"))
        }
        defer { timer.cancel() }
        do {
            try await promise.futureResult.get()
        } catch {
            try? await channel.close()
            throw error
        }
        try? await channel.close()
    }
}

public enum EventSenderError: Error, CustomStringConvertible {
    case failed(String)
    public var description: String {
        switch self {
        case .failed(let reason): return reason
        }
    }
}

/// HELLO, then one BATCH once welcomed; succeeds on its ACK.
final class OneBatchClient: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame
    private let hello: Hello
    private let batch: Batch
    private let done: EventLoopPromise<Void>

    init(hello: Hello, batch: Batch, done: EventLoopPromise<Void>) {
        self.hello = hello
        self.batch = batch
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(.hello(hello)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .welcome:
            context.writeAndFlush(wrapOutboundOut(.batch(batch)), promise: nil)
        case .ack(let ack) where ack.acknowledges(batch.sequence):
            done.succeed()
        case .reject(let reject):
            done.fail(EventSenderError.failed("the node refused the connection: \(reject.reason)"))
        case .nack(let nack):
            done.fail(EventSenderError.failed("the node refused the event: \(nack.reason)"))
        case .busy(let busy):
            done.fail(EventSenderError.failed("the node is busy (\(busy.reason)); try again in \(busy.retryAfterMilliseconds) ms"))
        case .goAway(let goAway):
            done.fail(EventSenderError.failed("the node is going away: \(goAway.reason)"))
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(EventSenderError.failed("the node closed the connection"))
    }
}

@available(*, unavailable)
extension OneBatchClient: Sendable {}
