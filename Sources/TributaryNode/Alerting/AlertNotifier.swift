import Foundation
import Logging
import NIOPosix
import Synchronization
import TributaryAlerting
import TributaryHTTPClient
import TributaryTLS

/// Delivers notifications to the configured Alertmanagers and webhooks
/// from one durable `NotificationOutbox` per receiver
/// (`DATA_DIR/alerting/outbox/<receiver>/`): rules enqueue (a synced
/// file), one sender task per receiver posts the oldest notification and
/// removes it once the receiver answered 2xx. A receiver that is down or
/// answers 5xx/408/429 is retried with exponential backoff (1 s doubling
/// up to `alerting.max_backoff`), in order, so it gets every notification
/// once it is back, also after a restart of the node. A 4xx answer is a
/// notification the receiver will never take: it is logged and removed.
final class AlertNotifier: Sendable {
    struct Target: Sendable {
        let receiver: AlertReceiver
        let outbox: NotificationOutbox
        let tls: HTTPGetClient.TLS?
    }

    private let targets: [Target]
    private let settings: AlertingSettings
    private let logger: Logger
    /// Blocking HTTP requests run here, never on the cooperative pool.
    private let pool: NIOThreadPool
    private let counters = Mutex<[String: Int]>([:])

    init(settings: AlertingSettings, directory: String, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        var targets: [Target] = []
        for receiver in settings.alertmanagers + settings.webhooks {
            var tls: HTTPGetClient.TLS?
            if receiver.isTLS {
                var configuration = TLSConfiguration()
                configuration.trustedCAFile = receiver.caFile
                tls = HTTPGetClient.TLS(context: try TLSContext(configuration: configuration, role: .client), serverName: receiver.host)
            }
            let outbox = try NotificationOutbox(directory: directory + "/" + receiver.slug, maxEntries: settings.outboxMaxEntries,
                                                maxBytes: settings.outboxMaxBytes)
            targets.append(Target(receiver: receiver, outbox: outbox, tls: tls))
        }
        self.targets = targets
        pool = NIOThreadPool(numberOfThreads: max(1, min(4, targets.count)))
        pool.start()
    }

    var hasAlertmanagers: Bool { !settings.alertmanagers.isEmpty }
    var hasWebhooks: Bool { !settings.webhooks.isEmpty }

    /// Queues alerts for every Alertmanager (`POST /api/v2/alerts` body).
    func enqueue(alertmanager alerts: [AlertmanagerAlert]) async {
        guard !alerts.isEmpty else { return }
        await enqueue(kind: .alertmanager, body: Self.encode(alerts))
    }

    /// Queues a webhook message for every webhook.
    func enqueue(webhook message: WebhookMessage) async {
        await enqueue(kind: .webhook, body: Self.encode(message))
    }

    private func enqueue(kind: AlertReceiver.Kind, body: [UInt8]) async {
        for target in targets where target.receiver.kind == kind {
            do {
                let dropped = try await target.outbox.append(body)
                count("queued", target)
                if dropped > 0 {
                    count("dropped", target, dropped)
                    logger.error("outbox of \(target.receiver.url) is full (alerting.outbox_max_entries/outbox_max_bytes): dropped the \(dropped) oldest notification(s); is the receiver down?")
                }
            } catch {
                count("dropped", target)
                logger.error("cannot queue a notification for \(target.receiver.url) (\(error)); it is lost: check the data directory's disk")
            }
        }
    }

    /// The sender tasks, one per receiver; cancelled at shutdown.
    func start() -> [Task<Void, Never>] {
        targets.map { target in Task { await self.send(target) } }
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    private func send(_ target: Target) async {
        var backoff: Duration = .seconds(1)
        var failing = false
        while !Task.isCancelled {
            let droppedBefore = await target.outbox.dropped
            let oldest = await target.outbox.oldest()
            let unreadable = await target.outbox.dropped - droppedBefore
            if unreadable > 0 {
                count("dropped", target, unreadable)
                logger.error("dropped \(unreadable) unreadable notification file(s) from the outbox of \(target.receiver.url) (larger than alerting.outbox_max_bytes, or damaged)")
            }
            guard let next = oldest else {
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            let receiver = target.receiver
            var headers: [String: String] = ["User-Agent": "tributary"]
            if let token = receiver.bearerToken { headers["Authorization"] = "Bearer " + token }
            let requestHeaders = headers
            let tls = target.tls
            let seconds = max(1, Int(receiver.timeout.components.seconds))
            let outcome: Result<(Int, String), Error>
            do {
                let answer = try await pool.runIfActive {
                    // The receiver's answer is kept to 4 KiB (for the log): it cannot make the node hold more.
                    var status = 0
                    var kept: [UInt8] = []
                    try HTTPGetClient.request(method: "POST", host: receiver.host, port: receiver.port, path: receiver.path,
                                              headers: requestHeaders.merging(["Content-Type": "application/json"]) { $1 }, requestBody: next.body,
                                              tls: tls, timeoutSeconds: seconds, status: { status = $0 },
                                              body: { piece in if kept.count < 4096 { kept += piece.prefix(4096 - kept.count) } })
                    return (status, String(decoding: kept, as: UTF8.self))
                }
                outcome = .success(answer)
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let (status, _)) where (200..<300).contains(status):
                await target.outbox.remove(next.sequence)
                count("sent", target)
                if failing { logger.notice("\(receiver.url) takes notifications again") }
                failing = false
                backoff = .seconds(1)
            case .success(let (status, body)) where (400..<500).contains(status) && status != 408 && status != 429:
                await target.outbox.remove(next.sequence)
                count("rejected", target)
                logger.error("\(receiver.url) refused a notification with \(status) (\(body.prefix(200))): removed it; check the receiver's configuration")
            default:
                count("failed", target)
                let reason: String
                switch outcome {
                case .success(let (status, body)): reason = "HTTP \(status) \(body.prefix(200))"
                case .failure(let error): reason = "\(error)"
                }
                if !failing {
                    logger.warning("cannot deliver notifications to \(receiver.url) (\(reason)); retrying with backoff up to \(settings.maxBackoff), nothing is dropped while the outbox has room")
                }
                failing = true
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, settings.maxBackoff)
            }
        }
    }

    private func count(_ what: String, _ target: Target, _ amount: Int = 1) {
        counters.withLock { $0["\(what)\u{0}\(target.receiver.kind.rawValue)\u{0}\(target.receiver.url)", default: 0] += amount }
    }

    /// `tributary_notifications_total{kind,receiver,outcome}` and the outbox sizes, for `/metrics`.
    func metricsText() async -> String {
        var text = "# HELP tributary_notifications_total Notifications by receiver and outcome (queued, sent, failed attempts, rejected, dropped).\n"
        text += "# TYPE tributary_notifications_total counter\n"
        for (key, value) in counters.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            text += "tributary_notifications_total{kind=\"\(parts[1])\",receiver=\"\(Self.escape(parts[2]))\",outcome=\"\(parts[0])\"} \(value)\n"
        }
        text += "# HELP tributary_notification_outbox_entries Notifications waiting on disk per receiver.\n# TYPE tributary_notification_outbox_entries gauge\n"
        for target in targets {
            text += "tributary_notification_outbox_entries{kind=\"\(target.receiver.kind.rawValue)\",receiver=\"\(Self.escape(target.receiver.url))\"} \(await target.outbox.count)\n"
        }
        return text
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? []
    }
}
