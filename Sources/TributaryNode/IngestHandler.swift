import Foundation
import Logging
import Synchronization
import NIOCore
import TributaryModel
import TributaryStorage
import TributaryTLS
import TributaryWire

/// Runs an `IngestSession` for one connection: decoded frames in, frames
/// out, batches handed to the `IngestStore` and acknowledged when durable.
final class IngestHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    private var session: IngestSession
    private let store: IngestStore
    /// In a cluster, batches go through the coordinator (replicas, quorum).
    private let cluster: ClusterNode?
    private let validator: BatchValidator
    /// Per-tenant ingest rates; nil when no tenant has one.
    private let rates: TenantRateLimiter?
    private let metrics: NodeMetrics
    private let logger: Logger
    private var certificateName: String?
    /// Central configuration; nil on nodes started without it (tests).
    private let fleetConfig: FleetConfigService?
    /// This connection among the fleet service's subscribers.
    private let connectionNumber = IngestHandler.nextConnectionNumber.add(1, ordering: .relaxed).newValue
    private static let nextConnectionNumber = Atomic<Int>(0)

    /// The fleet inventory (HELLO, REPORT, sources of stored records); nil in tests that do without.
    private let fleet: FleetRegistry?
    /// The agent this connection carries, once WELCOME was sent.
    private var agent: (tenant: String, id: String)?

    init(session: IngestSession, store: IngestStore, cluster: ClusterNode?, validator: BatchValidator, rates: TenantRateLimiter? = nil,
         metrics: NodeMetrics, fleetConfig: FleetConfigService? = nil, fleet: FleetRegistry? = nil, logger: Logger) {
        self.fleetConfig = fleetConfig
        self.fleet = fleet
        self.session = session
        self.store = store
        self.cluster = cluster
        self.validator = validator
        self.rates = rates
        self.metrics = metrics
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let handshake = event as? TLSHandshakeCompleted {
            certificateName = handshake.peer?.commonName
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let action = session.receive(frame, certificateName: certificateName)
        if agent == nil, case .hello(let hello) = frame, case .active(let agentID, let tenant) = session.state {
            agent = (tenant, agentID)
            fleet?.connected(tenant: tenant, agentID: agentID, host: hello.host, software: hello.software)
        } else if case .ping = frame, let agent {
            fleet?.heard(tenant: agent.tenant, agentID: agent.id)
        }
        if case .send(.busy) = action { metrics.countBusy(.window) }
        perform(action, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let fleetConfig { Task { [connectionNumber] in await fleetConfig.disconnected(connectionNumber) } }
        if let agent { fleet?.disconnected(tenant: agent.tenant, agentID: agent.id) }
        agent = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.warning("connection from \(context.remoteAddress.map(String.init(describing:)) ?? "unknown") failed: \(error)")
        if error is WireError { metrics.countRejected(reason: "bad_frame") }
        perform(session.failed(error), context: context)
        context.close(promise: nil)
    }

    private func perform(_ action: IngestSession.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .report(let report, let agentID, let tenant, _):
            fleet?.report(report, tenant: tenant, agentID: agentID)
        case .send(let frame):
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        case .sendAndClose(let frame):
            if case .reject(let reject) = frame {
                metrics.countRefusedConnection(reject.code.description)
                logger.notice("refused an agent: \(reject.code): \(reject.reason)")
            }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in bound.value.close(promise: nil) }
        case .configRequest(let request, let agentID):
            let channel = context.channel
            guard let fleetConfig else {
                channel.writeAndFlush(Frame.config(ConfigOffer(group: request.group, version: 0, state: .none)), promise: nil)
                return
            }
            Task { [connectionNumber] in
                let offer = await fleetConfig.offer(request, agentID: agentID, connection: connectionNumber) { frame in
                    channel.writeAndFlush(frame, promise: nil)
                }
                try? await channel.writeAndFlush(Frame.config(offer))
            }
        case .configStatus(let status, let agentID, let host):
            if let fleetConfig { Task { await fleetConfig.report(status, agentID: agentID, host: host) } }
        case .store(let batch, let tenant):
            if let rates, case .busy(let retryAfter, let reason) = rates.admit(tenant: tenant, bytes: batch.body.readableBytes) {
                metrics.countBusy(.tenantRate)
                perform(session.completed(sequence: batch.sequence, result: .busy(reason: reason, retryAfterMilliseconds: retryAfter)),
                        context: context)
                return
            }
            let store = self.store
            let cluster = self.cluster
            let validator = self.validator
            let metrics = self.metrics
            let logger = self.logger
            let fleet = self.fleet
            let promise = context.eventLoop.makePromise(of: IngestSession.StoreResult.self)
            promise.completeWithTask {
                let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
                let records: [Record]
                switch validator.check(batch, now: now) {
                case .success(let decoded):
                    records = decoded
                case .failure(let refusal):
                    logger.warning("refused batch \(batch.id) of tenant \(tenant): \(refusal.nack.code): \(refusal.nack.reason)")
                    metrics.countRejected(refusal.nack.code)
                    return .refused(refusal.nack)
                }
                if let cluster {
                    let result = await cluster.write(batch, records: records, tenant: tenant)
                    switch result {
                    case .stored:
                        metrics.countStored(records: records.count, bytes: batch.body.readableBytes)
                        fleet?.received(records, tenant: tenant, agentID: batch.agentID)
                    case .duplicate: metrics.countDuplicate()
                    case .busy: metrics.countBusy(.replicas)
                    case .refused(let nack): metrics.countRejected(nack.code)
                    case .failed: break
                    }
                    return result
                }
                do {
                    switch try await store.store(batch, records: records, tenant: tenant) {
                    case .stored:
                        metrics.countStored(records: records.count, bytes: batch.body.readableBytes)
                        fleet?.received(records, tenant: tenant, agentID: batch.agentID)
                        return .stored
                    case .duplicate:
                        metrics.countDuplicate()
                        return .duplicate
                    case .busy(let reason, let detail, let retryAfter):
                        metrics.countBusy(reason)
                        return .busy(reason: detail, retryAfterMilliseconds: retryAfter)
                    }
                } catch let error as StorageError {
                    if case .diskFull = error { metrics.countBusy(.diskFull) }
                    return .failed(error)
                } catch {
                    return .failed(.io(path: "ingest", operation: "storing a batch", errno: 5))
                }
            }
            let sequence = batch.sequence
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let agentID = batch.agentID
            promise.futureResult.whenSuccess { result in
                let (handler, context) = bound.value
                switch result {
                case .stored, .duplicate: fleet?.answered(tenant: tenant, agentID: agentID, sequence: sequence)
                case .refused(let nack) where nack.disposition == .permanent: fleet?.answered(tenant: tenant, agentID: agentID, sequence: sequence)
                default: break
                }
                handler.perform(handler.session.completed(sequence: sequence, result: result), context: context)
            }
        }
    }
}

@available(*, unavailable)
extension IngestHandler: Sendable {}
