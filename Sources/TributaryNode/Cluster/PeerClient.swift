import Logging
import NIOCore
import NIOPosix
import Synchronization
import TributaryCluster
import TributaryConfig
import TributaryModel
import TributaryTLS
import TributaryWire

/// This node's client of one peer: one connection (mutual TLS unless the
/// node is insecure), opened on first use and again after it fails, that
/// carries many requests at once. After a failure, requests fail at once
/// for a short while (up to 2 s) instead of each waiting for a connect, so
/// a down peer costs the write path nothing but a hint.
final class PeerClient: Sendable {
    let member: ClusterMember
    private let nodeID: String
    private let topologyHash: @Sendable () -> String
    private let group: EventLoopGroup
    private let tls: TLSContextStore?
    private let limits: WireLimits
    private let health: PeerHealth
    private let logger: Logger
    private let credentialsHash: String
    private let onCredentials: @Sendable (String, String) -> Void

    /// One connection and the requests waiting on it (each connection has
    /// its own, so one closing fails only its own requests).
    private struct Connection {
        let channel: Channel
        let requests: PeerRequests
    }

    private struct State {
        var connection: Connection?
        var connecting: EventLoopFuture<Connection>?
        /// Bumped by `reset`: a connect begun before it is not used.
        var generation = 0
        var retryAt: NIODeadline?
        var failures = 0
        var lastError = "not connected yet"
    }
    private let state = Mutex(State())

    init(member: ClusterMember, nodeID: String, topologyHash: @escaping @Sendable () -> String, group: EventLoopGroup,
         tls: TLSContextStore?, limits: WireLimits, health: PeerHealth, logger: Logger,
         credentialsHash: String = "", onCredentials: @escaping @Sendable (String, String) -> Void = { _, _ in }) {
        self.credentialsHash = credentialsHash
        self.onCredentials = onCredentials
        self.member = member
        self.nodeID = nodeID
        self.topologyHash = topologyHash
        self.group = group
        self.tls = tls
        self.limits = limits
        self.health = health
        self.logger = logger
    }

    /// Sends the request `make(id)` builds and returns its answer (every
    /// page of a RECORDS answer). A peer that lets a request with
    /// `dropOnTimeout` (the short ones: writes, listings) time out is taken
    /// for stopped or cut off: its connection is closed and requests fail
    /// fast for a moment. A long query timing out fails only itself.
    func request(timeout: Duration, dropOnTimeout: Bool = true, _ make: (UInt64) -> PeerMessage) async throws -> [PeerMessage] {
        let connection = try await self.connection()
        let channel = connection.channel
        let requests = connection.requests
        let id = requests.makeID()
        let promise = channel.eventLoop.makePromise(of: [PeerMessage].self)
        requests.register(id, promise)
        let node = member.id
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
                                                                    + timeout.components.attoseconds / 1_000_000_000)) {
            requests.fail(id, PeerError.timedOut(node: node, after: timeout))
        }
        channel.writeAndFlush(Frame.peer(make(id).frame)).whenFailure { error in requests.fail(id, error) }
        do {
            let answer = try await promise.futureResult.get()
            timer.cancel()
            health.succeeded(node)
            return answer
        } catch let error as PeerError {
            timer.cancel()
            if case .timedOut = error, dropOnTimeout {
                // A peer that stopped answering (a partition, a stopped
                // process) is dropped, so the next requests fail fast.
                markDown(error.description, channel: channel)
            }
            throw error
        } catch {
            timer.cancel()
            throw error
        }
    }

    /// Closes the connection (after a topology change: the next request
    /// handshakes again with the new hash).
    func reset() {
        let channel = state.withLock { state -> Channel? in
            defer {
                state.connection = nil
                state.connecting = nil
                state.generation += 1
                state.retryAt = nil
                state.failures = 0
            }
            return state.connection?.channel
        }
        channel?.close(promise: nil)
    }

    var isAvailable: Bool {
        state.withLock { state in
            if state.connection?.channel.isActive == true { return true }
            return state.retryAt.map { NIODeadline.now() >= $0 } ?? true
        }
    }

    private func markDown(_ reason: String, channel: Channel?) {
        state.withLock { state in
            if channel == nil || state.connection?.channel === channel { state.connection = nil }
            state.failures += 1
            state.retryAt = .now() + .milliseconds(min(2_000, 100 << min(state.failures, 5)))
            state.lastError = reason
        }
        channel?.close(promise: nil)
        health.failed(member.id, reason)
    }

    private func connection() async throws -> Connection {
        var created: (EventLoopFuture<Connection>, Int)?
        let future: EventLoopFuture<Connection> = try state.withLock { state in
            if let connection = state.connection, connection.channel.isActive {
                return connection.channel.eventLoop.makeSucceededFuture(connection)
            }
            if let connecting = state.connecting { return connecting }
            if let retryAt = state.retryAt, NIODeadline.now() < retryAt {
                throw PeerError.unavailable(node: member.id, reason: state.lastError)
            }
            let connecting = connect()
            state.connecting = connecting
            created = (connecting, state.generation)
            return connecting
        }
        if let (future, generation) = created {
            future.whenComplete { [self] result in
                switch result {
                case .success(let connection):
                    let current = state.withLock { state -> Bool in
                        guard state.generation == generation else { return false }
                        state.connecting = nil
                        state.connection = connection
                        state.retryAt = nil
                        state.failures = 0
                        return true
                    }
                    // Made before a topology change: handshaken with the old hash.
                    if !current { connection.channel.close(promise: nil) }
                    connection.channel.closeFuture.whenComplete { [self] _ in
                        connection.requests.failAll(PeerError.connectionLost(node: member.id))
                        state.withLock { state in if state.connection?.channel === connection.channel { state.connection = nil } }
                    }
                case .failure(let error):
                    state.withLock { state in if state.generation == generation { state.connecting = nil } }
                    markDown(PeerFailureText.describe(error, node: member.id, address: member.peer), channel: nil)
                }
            }
        }
        return try await future.get()
    }

    /// Connects, then PEER_HELLO → PEER_WELCOME with the same topology hash.
    private func connect() -> EventLoopFuture<Connection> {
        guard let (host, port) = ConfigUnits.hostPort(member.peer) else {
            return group.next().makeFailedFuture(PeerError.unavailable(node: member.id, reason: "bad peer address \(member.peer)"))
        }
        let tls = self.tls
        let limits = self.limits
        let requests = PeerRequests()
        let serverName = member.id
        let node = member.id
        let ours = topologyHash()
        let hello = PeerMessage.hello(PeerHello(nodeID: nodeID, topologyHash: ours, software: TributaryVersion.software,
                                                credentialsHash: credentialsHash))
        let onCredentials = self.onCredentials
        let health = self.health
        let logger = self.logger
        return ClientBootstrap(group: group)
            .connectTimeout(.seconds(2))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(TLSHandler(context: tls.context, serverHostname: serverName)) }
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(limits: limits)))
                    try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
                    try pipeline.addHandler(PeerClientHandler(node: node, requests: requests, limits: limits, logger: logger))
                }
            }
            .connect(host: host, port: port)
            .flatMap { channel in
                let welcome = channel.eventLoop.makePromise(of: [PeerMessage].self)
                requests.register(0, welcome)
                let timer = channel.eventLoop.scheduleTask(in: .seconds(5)) {
                    requests.fail(0, PeerError.timedOut(node: node, after: .seconds(5)))
                }
                channel.writeAndFlush(Frame.peer(hello.frame), promise: nil)
                return welcome.futureResult.flatMapThrowing { answer -> Connection in
                    timer.cancel()
                    guard case .welcome(let theirs)? = answer.first else {
                        throw PeerError.unexpectedAnswer(node: node, "\(answer) to PEER_HELLO")
                    }
                    guard theirs.topologyHash == ours else {
                        let error = PeerError.topologyMismatch(node: node, ours: ours, theirs: theirs.topologyHash)
                        logger.error("\(error)")
                        health.failed(node, error.description, topologyHash: theirs.topologyHash, mismatch: true)
                        throw error
                    }
                    health.succeeded(node, topologyHash: theirs.topologyHash)
                    onCredentials(node, theirs.credentialsHash)
                    return Connection(channel: channel, requests: requests)
                }.flatMapErrorThrowing { error in
                    timer.cancel()
                    if case .refused(_, let reason) = error as? PeerError, reason.hasPrefix("topology mismatch") {
                        logger.error("\(node) refused this node: \(reason)")
                        health.failed(node, reason, mismatch: true)
                    }
                    channel.close(promise: nil)
                    throw error
                }
            }
    }
}

/// Hands a peer's answers to the requests waiting for them.
final class PeerClientHandler: ChannelInboundHandler {
    typealias InboundIn = Frame

    private let node: String
    private let requests: PeerRequests
    private let limits: WireLimits
    private let logger: Logger

    init(node: String, requests: PeerRequests, limits: WireLimits, logger: Logger) {
        self.node = node
        self.requests = requests
        self.limits = limits
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .peer(let frame):
            do {
                let message = try PeerMessage(frame, limits: limits)
                if !requests.deliver(message) {
                    logger.debug("peer \(node) answered request \(message.requestID ?? 0), which no longer waits (timed out)")
                }
            } catch {
                logger.error("peer \(node) sent a frame that does not decode (\(error)): closing the connection")
                context.close(promise: nil)
            }
        case .reject(let reject):
            let error: PeerError
            if reject.reason.hasPrefix("topology mismatch") {
                error = .refused(node: node, reason: reject.reason)
            } else {
                error = .refused(node: node, reason: "\(reject.code): \(reject.reason)")
            }
            requests.fail(0, error)
            context.close(promise: nil)
        case .ping(let nonce):
            context.writeAndFlush(NIOAny(Frame.pong(nonce: nonce)), promise: nil)
        case .goAway(let goAway):
            logger.notice("peer \(node) is going away: \(goAway.reason)")
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        requests.failAll(PeerError.connectionLost(node: node))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.warning("connection to peer \(node) failed: \(PeerFailureText.describe(error, node: node, address: "its peer address"))")
        requests.failAll(PeerError.unavailable(node: node, reason: PeerFailureText.describe(error, node: node, address: "its peer address")))
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension PeerClientHandler: Sendable {}
