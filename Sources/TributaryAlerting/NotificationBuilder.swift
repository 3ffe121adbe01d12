import TributaryModel
import TributaryQuery

/// Turns alerts into what receivers take: Alertmanager API v2 alerts and
/// webhook (version 4) messages, the way Prometheus fills them.
public enum NotificationBuilder {
    /// Alertmanager's "zero time", which it sends as `endsAt` of firing alerts.
    public static let zeroTime = "0001-01-01T00:00:00Z"

    /// `alerts` (firing or resolved) for `POST /api/v2/alerts`. A firing
    /// alert's `endsAt` is `validFor` after `now` (Prometheus: four times
    /// the larger of resend delay and evaluation interval), so Alertmanager
    /// resolves it by itself if this node stops sending.
    public static func alertmanager(_ alerts: [Alert], now: Int64, validFor: Int64, generatorURL: String) -> [AlertmanagerAlert] {
        alerts.map { alert in
            let (until, overflow) = now.addingReportingOverflow(validFor)
            let endsAt = alert.state == .inactive ? (alert.resolvedAt ?? now) : (overflow ? now : until)
            return AlertmanagerAlert(labels: dictionary(alert.labels), annotations: alert.sentAnnotations,
                                     startsAt: QueryTime.format(alert.firedAt ?? alert.activeAt), endsAt: QueryTime.format(endsAt),
                                     generatorURL: generatorURL)
        }
    }

    /// One webhook message for alerts that share a status (`firing` or `resolved`).
    public static func webhook(_ alerts: [Alert], status: String, groupKey: String, receiver: String, externalURL: String,
                               generatorURL: String) -> WebhookMessage {
        let items = alerts.map { alert in
            WebhookMessage.Item(status: alert.state == .inactive ? "resolved" : "firing", labels: dictionary(alert.labels),
                                annotations: alert.sentAnnotations, startsAt: QueryTime.format(alert.firedAt ?? alert.activeAt),
                                endsAt: alert.state == .inactive ? QueryTime.format(alert.resolvedAt ?? alert.activeAt) : zeroTime,
                                generatorURL: generatorURL, fingerprint: fingerprint(alert.labels))
        }
        let labelSets = items.map(\.labels)
        let annotationSets = items.map(\.annotations)
        let alertname = labelSets.first?["alertname"].map { ["alertname": $0] } ?? [:]
        return WebhookMessage(groupKey: groupKey, status: status, receiver: receiver, groupLabels: alertname,
                              commonLabels: common(labelSets), commonAnnotations: common(annotationSets), externalURL: externalURL, alerts: items)
    }

    /// The pairs every one of `sets` has.
    static func common(_ sets: [[String: String]]) -> [String: String] {
        guard var shared = sets.first else { return [:] }
        for set in sets.dropFirst() { shared = shared.filter { set[$0.key] == $0.value } }
        return shared
    }

    public static func dictionary(_ labels: Labels) -> [String: String] {
        Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// 16 hex digits identifying a label set (FNV-1a over the sorted pairs).
    public static func fingerprint(_ labels: Labels) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for label in labels {
            for byte in label.name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            hash = (hash ^ 0xFF) &* 0x100_0000_01B3
            for byte in label.value.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            hash = (hash ^ 0xFE) &* 0x100_0000_01B3
        }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
