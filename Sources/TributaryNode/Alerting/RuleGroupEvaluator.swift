import Foundation
import Logging
import TributaryAlerting
import TributaryAnomaly
import TributaryModel
import TributaryQuery

/// One rule group at run time: evaluates its rules in order when this
/// node owns the group, keeps its alerts' state, writes recorded series
/// and the alert state series, and hands notifications to the notifier.
///
/// Alert state is stored like data, as Prometheus stores it: at each
/// evaluation the owner writes `ALERTS{alertname, alertstate, …}` = 1 and
/// `ALERTS_FOR_STATE{alertname, …}` = activeAt (Unix seconds) for every
/// pending or firing alert, and a staleness marker for each series that
/// ended, through the tenant's (replicated) write path. A node that takes
/// a group over (the owner died, or this node restarted) evaluates once,
/// reads both series back at that time and continues each alert's `for`
/// timer from the stored `activeAt`; an alert stored as firing keeps
/// firing without a second `firing` webhook, and one stored as firing that
/// the expression no longer returns is held by `keep_firing_for` or
/// resolved (so receivers hear that it ended).
actor RuleGroupEvaluator {
    struct Services: Sendable {
        let nodeID: String
        let runner: RuleQueryRunner
        let writer: RuleWriter
        let notifier: AlertNotifier
        let settings: AlertingSettings
        /// `http://host:port` of this node, when `alerting.external_url` is not set.
        let defaultExternalURL: String
        let logger: Logger
        /// The incident builder's seam: called for each alert that starts
        /// firing, before its notifications are built, with the anomaly
        /// finding behind it (anomaly rules); what it returns is kept as
        /// the alert's `explanation` and `incidentID` (sent as the
        /// annotations `explanation` and `incident_id` and listed by
        /// `/api/v1/alerts`). Nil: no explanation.
        var explain: (@Sendable (Alert, RuleGroup, AnomalyFinding?) async -> (id: String, text: String)?)? = nil
    }

    /// A series this group wrote at its last evaluation.
    struct SeriesID: Hashable, Sendable {
        var name: String
        var labels: Labels
    }

    let group: RuleGroup
    let services: Services
    private var alertStates: [Int: AlertRuleState] = [:]
    private var health: [Int: RuleHealth] = [:]
    private var written: [Int: Set<SeriesID>] = [:]
    private(set) var owner: String?
    private var lastEvaluation: Int64?
    private var evaluationSeconds = 0.0
    /// Set until the stored alert state has been read after taking the group over.
    private var needsRestore = true

    init(group: RuleGroup, services: Services) {
        self.group = group
        self.services = services
    }

    /// Takes over the state of the same group before a reload, for rules
    /// whose name and expression did not change.
    func inherit(from old: RuleGroupEvaluator) async {
        let previous = await old.snapshot()
        for (index, rule) in group.rules.enumerated() {
            guard let oldIndex = previous.rules.firstIndex(where: { $0.name == rule.name && $0.expression == rule.expression }) else { continue }
            alertStates[index] = previous.alertStates[oldIndex]
            health[index] = previous.health[oldIndex]
            written[index] = previous.written[oldIndex]
        }
        owner = previous.owner
        lastEvaluation = previous.lastEvaluation
        needsRestore = previous.needsRestore
    }

    private func snapshot() -> (rules: [RuleKind], alertStates: [Int: AlertRuleState], health: [Int: RuleHealth], written: [Int: Set<SeriesID>],
                                owner: String?, lastEvaluation: Int64?, needsRestore: Bool) {
        (group.rules, alertStates, health, written, owner, lastEvaluation, needsRestore)
    }

    /// One evaluation at `time` (ns) if `owner` is this node; otherwise
    /// forgets the alerts (the owner has them) so that taking the group
    /// back starts from the stored state.
    func tick(at time: Int64, owner: String?) async {
        let wasOwner = self.owner == services.nodeID
        self.owner = owner
        guard owner == services.nodeID else {
            if wasOwner || !alertStates.isEmpty {
                alertStates = [:]
                written = [:]
                needsRestore = true
                services.logger.notice("rule group \(group.key) is now evaluated by \(owner ?? "no node")")
            }
            return
        }
        if !wasOwner, lastEvaluation != nil { services.logger.notice("rule group \(group.key): evaluated by this node from now on") }
        let began = ContinuousClock.now
        var restored = true
        for (index, rule) in group.rules.enumerated() {
            let ruleBegan = ContinuousClock.now
            do {
                switch rule {
                case .recording(let recording): try await record(recording, index: index, at: time)
                case .alerting(let alerting): restored = try await alert(alerting, index: index, at: time) && restored
                }
                if health[index]?.health == "err" { services.logger.notice("rule \(rule.name) of group \(group.key) works again") }
                health[index] = RuleHealth(health: "ok", lastError: "", lastEvaluation: time, seconds: Self.seconds(since: ruleBegan))
            } catch {
                restored = false
                // Logged when the error changes, not at every evaluation.
                if health[index]?.lastError != "\(error)" {
                    services.logger.warning("rule \(rule.name) of group \(group.key) failed (see trib alerts --rules): \(error)")
                }
                health[index] = RuleHealth(health: "err", lastError: "\(error)", lastEvaluation: time, seconds: Self.seconds(since: ruleBegan))
            }
        }
        if restored { needsRestore = false }
        lastEvaluation = time
        evaluationSeconds = Self.seconds(since: began)
    }

    private func record(_ rule: RecordingRule, index: Int, at time: Int64) async throws {
        let samples = try await services.runner.instant(rule.query, text: rule.expression, tenant: group.tenant, at: time,
                                                        timeout: .nanoseconds(group.interval))
        try checkLimit(samples.count)
        var series: [SeriesID: Double] = [:]
        for sample in samples {
            var labels = try Self.withoutName(sample.labels)
            for (name, value) in group.labels + rule.labels { labels = try labels.setting(name, to: value) }
            series[SeriesID(name: rule.name, labels: labels)] = sample.value
        }
        try await write(series, index: index, at: time)
    }

    /// Evaluates an alerting rule; false when the stored state could not
    /// be read (it is tried again at the next evaluation).
    private func alert(_ rule: AlertingRule, index: Int, at time: Int64) async throws -> Bool {
        let detected: DetectorResult
        if let detector = rule.detector {
            detected = try await detect(detector, rule: rule, at: time)
        } else {
            let samples = try await services.runner.instant(rule.query, text: rule.expression, tenant: group.tenant, at: time,
                                                            timeout: .nanoseconds(group.interval))
            detected = DetectorResult(samples: samples.map { ($0.labels, $0.value) })
        }
        let samples = detected.samples
        try checkLimit(samples.count)
        var results: [(labels: Labels, annotations: [String: String], value: Double)] = []
        var findings: [Labels: AnomalyFinding] = [:]
        let external = services.settings.externalLabels
        for sample in samples {
            let seriesLabels = try Self.withoutName(sample.labels)
            let data = TemplateData(labels: NotificationBuilder.dictionary(seriesLabels), value: sample.value, externalLabels: external)
            var labels = seriesLabels
            for (name, value) in group.labels { labels = try labels.setting(name, to: value) }
            for (name, template) in rule.labels { labels = try labels.setting(name, to: template.render(data)) }
            labels = try labels.setting("alertname", to: rule.name)
            findings[labels] = detected.findings[sample.labels]
            var annotations: [String: String] = [:]
            for (name, template) in rule.annotations { annotations[name] = template.render(data) }
            results.append((labels, annotations, sample.value))
        }
        var state = alertStates[index] ?? AlertRuleState()
        var transitions = state.evaluate(results, at: time, holdDuration: rule.holdDuration, keepFiringFor: rule.keepFiringFor)
        var restored = true
        if needsRestore {
            do {
                let (activeAt, firing) = try await storedState(rule.name, at: time)
                transitions += state.restore(activeAt: activeAt, firing: firing, at: time, keepFiringFor: rule.keepFiringFor) { labels in
                    let data = TemplateData(labels: NotificationBuilder.dictionary(labels), value: .nan, externalLabels: external)
                    return Dictionary(rule.annotations.map { ($0.name, $0.value.render(data)) }, uniquingKeysWith: { $1 })
                }
                // The previous owner's series: ended ones get their staleness
                // marker from this node, so a later owner does not take them
                // over (and resolve them) again.
                var stored = Set(activeAt.keys.map { SeriesID(name: "ALERTS_FOR_STATE", labels: $0) })
                for labels in firing { stored.insert(SeriesID(name: "ALERTS", labels: try labels.setting("alertstate", to: "firing"))) }
                written[index, default: []].formUnion(stored)
                transitions = transitions.filter { transition in
                    if case .firing(let alert) = transition { return !firing.contains(alert.labels) }
                    return true
                }
                transitions += state.promote(at: time, holdDuration: rule.holdDuration)
                if !activeAt.isEmpty { services.logger.notice("rule \(rule.name) of group \(group.key): restored the state of \(activeAt.count) alert(s)") }
            } catch {
                restored = false
                services.logger.warning("rule \(rule.name) of group \(group.key): cannot read the stored alert state yet (\(error)); timers start now")
            }
        }
        if let explain = services.explain {
            for (index, transition) in transitions.enumerated() {
                guard case .firing(var alert) = transition, let explanation = await explain(alert, group, findings[alert.labels]) else { continue }
                alert.explanation = explanation.text
                alert.incidentID = explanation.id
                state.alerts[alert.labels]?.explanation = explanation.text
                state.alerts[alert.labels]?.incidentID = explanation.id
                transitions[index] = .firing(alert)
            }
        }
        for transition in transitions {
            switch transition {
            case .firing(let alert): services.logger.notice("alert \(alert.labels) firing (active since \(QueryTime.format(alert.activeAt)))")
            case .resolved(let alert): services.logger.notice("alert \(alert.labels) resolved")
            case .pending: break
            }
        }
        await notify(transitions, state: &state, rule: rule, at: time)
        alertStates[index] = state
        var series = detected.band
        for alert in state.alerts.values where alert.state != .inactive {
            let alertsLabels = try alert.labels.setting("alertstate", to: alert.state.rawValue)
            series[SeriesID(name: "ALERTS", labels: alertsLabels)] = 1
            series[SeriesID(name: "ALERTS_FOR_STATE", labels: alert.labels)] = Double(alert.activeAt / 1_000_000) / 1000
        }
        try await write(series, index: index, at: time)
        return restored
    }

    /// `activeAt` of the alerts of `name` as stored, and which were firing.
    private func storedState(_ name: String, at time: Int64) async throws -> ([Labels: Int64], Set<Labels>) {
        let quoted = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        let forText = "ALERTS_FOR_STATE{alertname=\(quoted)}"
        let firingText = "ALERTS{alertname=\(quoted), alertstate=\"firing\"}"
        let timeout = Duration.nanoseconds(group.interval)
        var activeAt: [Labels: Int64] = [:]
        for sample in try await services.runner.instant(try QueryExpr.parse(forText, language: .promql), text: forText, tenant: group.tenant,
                                                        at: time, timeout: timeout) where sample.value >= 0 && sample.value < 9e9 {
            // Any tenant can write a series of this name: only times up to
            // the year 2255 are taken, so the conversion cannot overflow.
            activeAt[try Self.withoutName(sample.labels)] = Int64(sample.value * 1000) * 1_000_000
        }
        var firing: Set<Labels> = []
        for sample in try await services.runner.instant(try QueryExpr.parse(firingText, language: .promql), text: firingText,
                                                        tenant: group.tenant, at: time, timeout: timeout) {
            let labels = try Self.withoutName(sample.labels)
            firing.insert(try Labels(labels.filter { $0.name != "alertstate" }.map { $0 }))
        }
        return (activeAt, firing)
    }

    /// Writes `series` at `time`, and a staleness marker for each series
    /// written last time and not now (so queries and the next owner see it end).
    private func write(_ series: [SeriesID: Double], index: Int, at time: Int64) async throws {
        var records: [Record] = []
        for (id, value) in series {
            records.append(.metric(MetricSample(name: id.name, labels: id.labels, timestamp: time, value: value, kind: .gauge)))
        }
        for id in written[index, default: []] where series[id] == nil {
            records.append(.metric(MetricSample(name: id.name, labels: id.labels, timestamp: time, value: StaleMarker.value, kind: .gauge)))
        }
        written[index] = Set(series.keys)
        try await services.writer.write(records, tenant: group.tenant)
    }

    /// Webhooks for alerts that started firing or resolved; Alertmanager
    /// gets every firing or recently resolved alert due for (re)sending,
    /// as Prometheus does (`resend_delay`).
    private func notify(_ transitions: [AlertTransition], state: inout AlertRuleState, rule: AlertingRule, at time: Int64) async {
        let generatorURL = self.generatorURL(rule.expression)
        let externalURL = services.settings.externalURL.isEmpty ? services.defaultExternalURL : services.settings.externalURL
        if services.notifier.hasWebhooks {
            let groupKey = "{}/{alertname=\"\(rule.name)\"}:{group=\"\(group.key)\"}"
            var firing: [Alert] = []
            var resolved: [Alert] = []
            for transition in transitions {
                switch transition {
                case .firing(let alert): firing.append(alert)
                case .resolved(let alert): resolved.append(alert)
                case .pending: break
                }
            }
            for (status, alerts) in [("firing", firing), ("resolved", resolved)] where !alerts.isEmpty {
                let message = NotificationBuilder.webhook(alerts.map { withExternalLabels($0) }, status: status, groupKey: groupKey,
                                                          receiver: "tributary", externalURL: externalURL, generatorURL: generatorURL)
                await services.notifier.enqueue(webhook: message)
            }
        }
        guard services.notifier.hasAlertmanagers else { return }
        let resend = services.settings.resendDelay
        var due: [Alert] = []
        for (labels, var alert) in state.alerts where alert.state != .pending {
            let needed: Bool
            if let sent = alert.lastSentAt {
                if alert.state == .inactive, let resolvedAt = alert.resolvedAt, resolvedAt > sent {
                    needed = true
                } else {
                    let (elapsed, overflow) = time.subtractingReportingOverflow(sent)
                    needed = overflow || elapsed >= resend
                }
            } else {
                needed = true
            }
            guard needed else { continue }
            alert.lastSentAt = time
            state.alerts[labels] = alert
            due.append(withExternalLabels(alert))
        }
        let validFor = 4 * max(resend, group.interval)
        await services.notifier.enqueue(alertmanager: NotificationBuilder.alertmanager(due, now: time, validFor: validFor, generatorURL: generatorURL))
    }

    private func withExternalLabels(_ alert: Alert) -> Alert {
        var copy = alert
        for (name, value) in services.settings.externalLabels where copy.labels[name] == nil {
            if let labels = try? copy.labels.setting(name, to: value) { copy.labels = labels }
        }
        return copy
    }

    private func generatorURL(_ expression: String) -> String {
        let base = services.settings.externalURL.isEmpty ? services.defaultExternalURL : services.settings.externalURL
        let escaped = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return base + "/graph?g0.expr=" + escaped + "&g0.tab=1"
    }

    /// The group's `limit:`, as Prometheus applies it.
    private func checkLimit(_ count: Int) throws {
        guard group.limit > 0, count > group.limit else { return }
        throw RuleLimitExceeded(count: count, limit: group.limit)
    }

    static func withoutName(_ labels: Labels) throws -> Labels {
        try Labels(labels.filter { $0.name != "__name__" }.map { $0 })
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    // MARK: Status

    /// The group in `/api/v1/rules`' shape.
    func status() -> (group: RuleGroup, owner: String?, lastEvaluation: Int64?, seconds: Double, health: [Int: RuleHealth],
                      alerts: [Int: [Alert]]) {
        (group, owner, lastEvaluation, evaluationSeconds, health, alertStates.mapValues(\.sorted))
    }
}
