import Logging
import NIOCore
import TributaryAlerting
import TributaryAnomaly
import TributaryModel
import TributaryQuery

/// Turns alerts that start firing into incidents (docs/incidents.md): for
/// the alert's scope (its `service`/`app`, `host`, `cluster` labels) and
/// the `lookback` before the problem began, it gathers the change events
/// stored beside the logs (`trib event`), the log patterns that are new or
/// changed rate, and the scope's other anomalous series; ranks them with
/// `IncidentBuilder`; and keeps one incident per problem per tenant
/// (`IncidentLog`: alerts of the same scope within the merge window join
/// the open incident).
///
/// Incidents are kept in memory, at most `IncidentLog.capacity` per
/// tenant. They are not written to disk: each alert carries its
/// explanation and incident id in its annotations (Alertmanager, webhooks,
/// `/api/v1/alerts`), and an alert that fires again after a restart
/// raises the same incident again (its id is a hash of scope and start).
actor IncidentService {
    let runner: RuleQueryRunner
    let logger: Logger
    var builder = IncidentBuilder()
    var gatherer = IncidentGatherer()
    /// The change events read per incident, at most (newest kept).
    static let maximumChanges = 1_000
    /// The time one incident's gathering may take.
    static let timeout: Duration = .seconds(30)
    private var logs: [String: IncidentLog] = [:]

    init(runner: RuleQueryRunner, logger: Logger) {
        self.runner = runner
        self.logger = logger
    }

    /// The incidents of `tenant`, newest first.
    func incidents(tenant: String) -> [Incident] {
        (logs[tenant]?.incidents ?? []).reversed()
    }

    /// The explanation of `alert` (of `group`), recorded as an incident;
    /// nil when the alert has no scope labels to gather in.
    func explain(_ alert: Alert, group: RuleGroup, finding: AnomalyFinding?) async -> (id: String, text: String)? {
        let now = alert.firedAt ?? alert.activeAt
        var trigger: IncidentTrigger
        if let finding {
            trigger = IncidentTrigger(finding: finding)
            trigger.time = max(trigger.time, now)
        } else {
            let name = alert.labels["alertname"] ?? "alert"
            let summary = alert.annotations["summary"].map { "`\(name)`: \($0)" } ?? "`\(name)` is firing"
            trigger = IncidentTrigger(name: name, labels: alert.labels, since: alert.activeAt, time: now, summary: summary)
        }
        let scope = IncidentScope(labels: trigger.labels, names: builder.scopeNames)
        guard !scope.isEmpty else { return nil }
        let from = trigger.since &- builder.lookback
        let tenant = group.tenant
        var changes: [ChangeEvent] = []
        var anomalies: [AnomalyFinding] = []
        var patterns: [any PatternEvidence] = []
        do {
            changes = try await changeEvents(scope, tenant: tenant, from: from, to: trigger.time)
        } catch {
            logger.warning("incident for \(trigger.name): cannot read the change events of \(scope.dictionary) (\(error)); explained without them")
        }
        do {
            patterns = try await patternFindings(scope, tenant: tenant, at: trigger.time)
        } catch {
            logger.warning("incident for \(trigger.name): cannot read the log patterns of \(scope.dictionary) (\(error)); explained without them")
        }
        do {
            anomalies = try await otherAnomalies(scope, tenant: tenant, at: trigger.time)
            anomalies.removeAll { $0.labels == trigger.labels }
        } catch {
            logger.warning("incident for \(trigger.name): cannot judge the other series of \(scope.dictionary) (\(error)); explained without them")
        }
        let incident = builder.build(trigger: trigger, changes: changes, patterns: patterns, anomalies: anomalies)
        var log = logs[tenant] ?? IncidentLog()
        let (kept, isNew) = log.record(incident, maximumEvidence: builder.maximumEvidence)
        logs[tenant] = log
        logger.notice("\(isNew ? "incident" : "incident (joined)") \(kept.id) for \(trigger.name): \(kept.annotation)")
        return (kept.id, kept.annotation)
    }

    /// The other anomalous series of the scope, judged as an anomaly rule
    /// with default settings would judge them.
    private func otherAnomalies(_ scope: IncidentScope, tenant: String, at time: Int64) async throws -> [AnomalyFinding] {
        guard let selector = Self.selector(scope) else { return [] }
        let expr = try QueryExpr.parse(selector, language: .promql)
        let gatherer = self.gatherer
        // The default detector's history plus the judged span.
        let reach: Int64 = 7 * 86_400_000_000_000 + 2 * 3_600_000_000_000
        let steps = QuerySteps(start: time &- reach, end: time, step: 60_000_000_000)
        return try await runner.withSource(expr, text: selector, tenant: tenant, steps: steps, timeout: Self.timeout) { source in
            try gatherer.anomalies(in: scope, at: time, source: source)
        }
    }

    /// `{service="checkout"}` (or `app=`) for the scope's subject.
    static func selector(_ scope: IncidentScope) -> String? {
        let labels = scope.dictionary
        if let service = labels["service"] { return "{service=\(IncidentGatherer.quoted(service))}" }
        if let app = labels["app"] { return "{app=\(IncidentGatherer.quoted(app))}" }
        return nil
    }
}
