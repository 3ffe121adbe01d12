import Logging
import NIOCore
import NIOPosix
import TributaryCluster
import TributaryModel
import TributaryTLS
import TributaryWire

/// What answers a peer's requests (the cluster node).
protocol PeerService: Sendable {
    var nodeID: String { get }
    var topologyHash: String { get }
    /// Whether `node` is in the topology (only members may connect).
    func isMember(_ node: String) -> Bool
    /// A peer connected with another topology: say so loudly.
    func peerMismatched(_ node: String, theirs: String)
    func peerConnected(_ node: String)
    /// This node's `IngestCredentials.fingerprint`, announced in PEER_WELCOME.
    var credentialsHash: String { get }
    /// A peer announced its credentials fingerprint.
    func peerCredentials(_ node: String, _ theirs: String)
    /// The answer (every page of it) to one request from `node`.
    func answer(_ message: PeerMessage, from node: String) async -> [PeerMessage]
}

/// The node-to-node listener (`cluster.peer_listen`): mutual TLS — a peer
/// must present a certificate from `tls.ca` whose common name is the node
/// id it announces — then our framing with the peer frame types.
final class PeerServer: Sendable {
    let channel: Channel
    private let connections: ConnectionSet

    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: Channel, connections: ConnectionSet) {
        self.channel = channel
        self.connections = connections
    }

    static func start(host: String, port: Int, group: EventLoopGroup, tls: TLSContextStore?, limits: WireLimits,
                      service: any PeerService, logger: Logger) async throws -> PeerServer {
        let connections = ConnectionSet()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.insert(channel)
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(TLSHandler(context: tls.context)) }
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(limits: limits)))
                    try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
                    try pipeline.addHandler(PeerServerHandler(service: service, requireCertificate: tls != nil, limits: limits, logger: logger))
                }
            }
            .bind(host: host, port: port).get()
        return PeerServer(channel: channel, connections: connections)
    }

    func stop() async {
        try? await channel.close()
        await connections.closeAll()
    }
}

/// One peer connection, server side: PEER_HELLO first (a member, with a
/// matching certificate and topology), then requests answered as they
/// finish, each answer in one piece or in RECORDS pages.
final class PeerServerHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    private let service: any PeerService
    private let requireCertificate: Bool
    private let limits: WireLimits
    private let logger: Logger
    private var certificateName: String?
    private var peer: String?

    init(service: any PeerService, requireCertificate: Bool, limits: WireLimits, logger: Logger) {
        self.service = service
        self.requireCertificate = requireCertificate
        self.limits = limits
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let handshake = event as? TLSHandshakeCompleted { certificateName = handshake.peer?.commonName }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard let peer else {
            hello(frame, context: context)
            return
        }
        switch frame {
        case .peer(let peerFrame):
            let message: PeerMessage
            do {
                message = try PeerMessage(peerFrame, limits: limits)
            } catch {
                refuse("a frame from \(peer) does not decode: \(error)", context: context, goAway: true)
                return
            }
            let service = self.service
            let promise = context.eventLoop.makePromise(of: [PeerMessage].self)
            promise.completeWithTask { await service.answer(message, from: peer) }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { answers in
                let context = bound.value
                for answer in answers { context.write(NIOAny(Frame.peer(answer.frame)), promise: nil) }
                context.flush()
            }
        case .ping(let nonce):
            context.writeAndFlush(wrapOutboundOut(.pong(nonce: nonce)), promise: nil)
        case .pong:
            break
        case .goAway:
            context.close(promise: nil)
        default:
            refuse("unexpected \(frame.type) from peer \(peer)", context: context, goAway: true)
        }
    }

    private func hello(_ frame: Frame, context: ChannelHandlerContext) {
        guard case .peer(let peerFrame) = frame, case .hello(let hello)? = try? PeerMessage(peerFrame, limits: limits) else {
            refuse("expected PEER_HELLO as the first frame on the node-to-node port, got \(frame.type) (is an agent pointed at cluster.peer_listen?)",
                   context: context, goAway: false)
            return
        }
        guard service.isMember(hello.nodeID) else {
            refuse("\(hello.nodeID) is not a node of this cluster's topology", context: context, goAway: false)
            return
        }
        if requireCertificate, certificateName != hello.nodeID {
            refuse("peer says it is \(hello.nodeID) but its certificate names \(certificateName ?? "nobody"): issue it a certificate for \(hello.nodeID)",
                   context: context, goAway: false)
            return
        }
        let ours = service.topologyHash
        guard hello.topologyHash == ours else {
            service.peerMismatched(hello.nodeID, theirs: hello.topologyHash)
            refuse("topology mismatch: \(hello.nodeID) runs topology \(hello.topologyHash), this node runs \(ours); nothing is replicated between them until both read the same topology file (SIGHUP)",
                   context: context, goAway: false)
            return
        }
        peer = hello.nodeID
        service.peerConnected(hello.nodeID)
        service.peerCredentials(hello.nodeID, hello.credentialsHash)
        let welcome = PeerMessage.welcome(PeerHello(nodeID: service.nodeID, topologyHash: ours, software: TributaryVersion.software,
                                                    credentialsHash: service.credentialsHash))
        context.writeAndFlush(wrapOutboundOut(.peer(welcome.frame)), promise: nil)
    }

    private func refuse(_ reason: String, context: ChannelHandlerContext, goAway: Bool) {
        logger.error("node-to-node connection from \(context.remoteAddress.map(String.init(describing:)) ?? "unknown") refused: \(reason)")
        let frame: Frame = goAway ? .goAway(GoAway(code: .protocolError, reason: reason))
            : .reject(Reject(code: reason.hasPrefix("topology") ? .notReady : .authFailed, reason: reason))
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in bound.value.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.warning("node-to-node connection from \(peer ?? "an unidentified peer") failed: \(error)")
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension PeerServerHandler: Sendable {}
