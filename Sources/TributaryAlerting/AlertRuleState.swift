import TributaryModel

/// The alerts of one alerting rule and how an evaluation changes them:
/// Prometheus' `AlertingRule.Eval` as a plain struct, clock passed in, so
/// `for` and `keep_firing_for` are tested without sleeping.
///
/// - A label set returned for the first time becomes **pending** at that
///   evaluation (`activeAt`); when it has been returned for `for`, it
///   becomes **firing** (`firedAt`). With `for: 0` it fires at once.
/// - A pending alert no longer returned is dropped (it never fired).
/// - A firing alert no longer returned stays firing until it has been
///   missing for `keep_firing_for`, then becomes **inactive**
///   (`resolvedAt`); returned again meanwhile, it simply keeps firing.
/// - Inactive alerts are kept `resolvedRetention` (15 minutes, as
///   Prometheus) to be listed and re-sent as resolved; a label set that
///   returns after resolving starts over as a new pending alert.
public struct AlertRuleState: Sendable {
    public var alerts: [Labels: Alert] = [:]
    public static let resolvedRetention: Int64 = 15 * 60 * 1_000_000_000

    public init() {}

    /// One evaluation at `time` (ns) that returned `results` (labels
    /// already final: series labels, rule labels and `alertname`).
    public mutating func evaluate(_ results: [(labels: Labels, annotations: [String: String], value: Double)], at time: Int64,
                                  holdDuration: Int64, keepFiringFor: Int64) -> [AlertTransition] {
        var transitions: [AlertTransition] = []
        var seen: Set<Labels> = []
        for result in results {
            seen.insert(result.labels)
            if var alert = alerts[result.labels], alert.state != .inactive {
                alert.value = result.value
                alert.annotations = result.annotations
                alert.keepFiringSince = nil
                alerts[result.labels] = alert
            } else {
                let alert = Alert(labels: result.labels, annotations: result.annotations, state: .pending, value: result.value, activeAt: time)
                alerts[result.labels] = alert
                if holdDuration > 0 { transitions.append(.pending(alert)) }
            }
        }
        for (labels, var alert) in alerts where !seen.contains(labels) {
            switch alert.state {
            case .pending:
                alerts[labels] = nil
            case .firing:
                if keepFiringFor > 0 {
                    let since = alert.keepFiringSince ?? time
                    alert.keepFiringSince = since
                    let (held, overflow) = time.subtractingReportingOverflow(since)
                    if !overflow, held < keepFiringFor {
                        alerts[labels] = alert
                        continue
                    }
                }
                alert.state = .inactive
                alert.resolvedAt = time
                alert.keepFiringSince = nil
                alerts[labels] = alert
                transitions.append(.resolved(alert))
            case .inactive:
                let (age, overflow) = time.subtractingReportingOverflow(alert.resolvedAt ?? time)
                if overflow || age >= Self.resolvedRetention { alerts[labels] = nil }
            }
        }
        return transitions + promote(at: time, holdDuration: holdDuration)
    }

    /// Fires the pending alerts returned for at least `holdDuration` by
    /// `time` (after `evaluate`, and again after `restore` moved timers back).
    public mutating func promote(at time: Int64, holdDuration: Int64) -> [AlertTransition] {
        var transitions: [AlertTransition] = []
        for (labels, var alert) in alerts where alert.state == .pending {
            let (held, overflow) = time.subtractingReportingOverflow(alert.activeAt)
            if overflow || held >= holdDuration {
                alert.state = .firing
                alert.firedAt = time
                alerts[labels] = alert
                transitions.append(.firing(alert))
            }
        }
        return transitions
    }

    /// Takes over the `for` timer (and firing state) another node or an
    /// earlier run of this one stored: for alerts of the first evaluation
    /// after a move or restart, `activeAt` is the stored one, and an alert
    /// the previous owner had already fired is firing again without a new
    /// `firing` transition (it was notified then).
    ///
    /// An alert stored as firing that this evaluation did not return was
    /// firing when the previous owner stopped: it is taken over as firing
    /// and then handled as a firing alert that disappeared — held by
    /// `keep_firing_for` (from now), or resolved now, with a `resolved`
    /// transition so receivers hear that it ended. `annotations` renders
    /// its annotations from its labels (the value is not stored).
    public mutating func restore(activeAt stored: [Labels: Int64], firing: Set<Labels>, at time: Int64 = 0, keepFiringFor: Int64 = 0,
                                 annotations: (Labels) -> [String: String] = { _ in [:] }) -> [AlertTransition] {
        for (labels, activeAt) in stored {
            guard var alert = alerts[labels], alert.state != .inactive, activeAt < alert.activeAt else { continue }
            alert.activeAt = activeAt
            if firing.contains(labels) {
                alert.state = .firing
                alert.firedAt = alert.firedAt ?? activeAt
            }
            alerts[labels] = alert
        }
        var transitions: [AlertTransition] = []
        for labels in firing where alerts[labels] == nil {
            let activeAt = stored[labels] ?? time
            var alert = Alert(labels: labels, annotations: annotations(labels), state: .firing, value: .nan, activeAt: activeAt)
            alert.firedAt = activeAt
            if keepFiringFor > 0 {
                alert.keepFiringSince = time
            } else {
                alert.state = .inactive
                alert.resolvedAt = time
                transitions.append(.resolved(alert))
            }
            alerts[labels] = alert
        }
        return transitions
    }

    /// Pending and firing alerts, then resolved ones, each by labels.
    public var sorted: [Alert] {
        alerts.values.sorted { Labels.compareForDisplay($0.labels, $1.labels) }
    }
}

extension Labels {
    /// Orders label sets by their pairs, for stable listings.
    static func compareForDisplay(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.pairs, rhs.pairs) {
            if left.name != right.name { return left.name < right.name }
            if left.value != right.value { return left.value < right.value }
        }
        return lhs.count < rhs.count
    }
}
