import Foundation
import Logging
import Synchronization
import TributaryAlerting
import TributaryAPI
import TributaryModel
import TributaryQuery

/// Runs the node's rule groups: one task per group ticking at the group's
/// interval (aligned to multiples of it, so every node agrees on the
/// evaluation times), each tick asking who owns the group now.
///
/// Ownership: on a single node, this node. In a cluster, rendezvous
/// hashing of the group's key over the members that answered the last
/// liveness probes (every second, `ClusterNode.liveMembers`; down after two
/// unanswered in a row, `LiveMembers`), so a group moves to another node
/// within about two intervals of its owner dying,
/// and back when it returns; the state travels through storage (see
/// `RuleGroupEvaluator`).
///
/// SIGHUP re-reads the rule files (`reload`): groups that remain keep
/// their alerts and timers, new ones start, removed ones stop.
actor RuleManager {
    private let services: RuleGroupEvaluator.Services
    private let cluster: ClusterNode?
    private var evaluators: [String: RuleGroupEvaluator] = [:]
    private var tasks: [String: Task<Void, Never>] = [:]
    private var liveness: Task<Void, Never>?
    private let live: LiveMembers
    /// The incidents raised by this node's alerts (`/api/v1/incidents`).
    nonisolated let incidents: IncidentService?

    init(services: RuleGroupEvaluator.Services, cluster: ClusterNode?, incidents: IncidentService? = nil) {
        self.services = services
        self.cluster = cluster
        self.incidents = incidents
        live = LiveMembers([services.nodeID])
    }

    nonisolated var notifier: AlertNotifier { services.notifier }

    func start(_ groups: [RuleGroup]) async {
        if let cluster {
            let live = self.live
            liveness = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let answered = await cluster.liveMembers(timeout: .seconds(1))
                    live.update(answered: answered, all: cluster.activeMembers)
                }
            }
            // Learn who is up before the first evaluation, so a starting
            // node does not take every group for a moment.
            let members = await cluster.liveMembers(timeout: .seconds(1))
            live.set(members)
        }
        await reload(groups)
    }

    /// Replaces the groups, keeping the state of those that remain.
    func reload(_ groups: [RuleGroup]) async {
        // Stop the running groups first and wait for an evaluation under
        // way to finish, so the state taken over is the latest (a
        // transition is never notified twice across a reload).
        let running = tasks
        tasks = [:]
        for task in running.values { task.cancel() }
        for task in running.values { await task.value }
        var next: [String: RuleGroupEvaluator] = [:]
        for group in groups {
            let evaluator = RuleGroupEvaluator(group: group, services: services)
            if let old = evaluators[group.key] { await evaluator.inherit(from: old) }
            next[group.key] = evaluator
        }
        evaluators = next
        for (key, evaluator) in next {
            let interval = max(1_000_000_000, evaluator.group.interval)
            let live = self.live
            tasks[key] = Task {
                while !Task.isCancelled {
                    let now = Int64(Date().timeIntervalSince1970 * 1e9)
                    let next = (now / interval + 1) * interval
                    try? await Task.sleep(for: .nanoseconds(next - now))
                    guard !Task.isCancelled else { return }
                    let members = live.current
                    await evaluator.tick(at: next, owner: RuleGroupOwnership.owner(of: key, among: members))
                }
            }
        }
        services.logger.info("evaluating \(groups.count) rule group(s) with \(groups.reduce(0) { $0 + $1.rules.count }) rule(s)")
    }

    func stop() {
        liveness?.cancel()
        for task in tasks.values { task.cancel() }
        tasks = [:]
    }

    // MARK: API

    /// `/api/v1/rules` for `tenant`.
    func rules(tenant: String) async -> RulesResponse {
        var groups: [RuleGroupStatus] = []
        for evaluator in evaluators.values where evaluator.group.tenant == tenant {
            let status = await evaluator.status()
            var rules: [RuleStatus] = []
            for (index, rule) in status.group.rules.enumerated() {
                let health = status.health[index] ?? RuleHealth()
                let evaluated = status.owner == services.nodeID
                var entry = RuleStatus(name: rule.name, query: rule.expression, type: "recording", health: evaluated ? health.health : "unknown",
                                       lastError: health.lastError, evaluationTime: health.seconds,
                                       lastEvaluation: health.lastEvaluation.map(QueryTime.format) ?? NotificationBuilder.zeroTime, labels: [:])
                switch rule {
                case .recording(let recording):
                    entry.labels = Dictionary(recording.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                case .alerting(let alerting):
                    entry.type = "alerting"
                    entry.labels = Dictionary(alerting.labels.map { ($0.name, $0.value.source) }, uniquingKeysWith: { $1 })
                    entry.annotations = Dictionary(alerting.annotations.map { ($0.name, $0.value.source) }, uniquingKeysWith: { $1 })
                    entry.duration = Double(alerting.holdDuration) / 1e9
                    entry.keepFiringFor = Double(alerting.keepFiringFor) / 1e9
                    let alerts = status.alerts[index] ?? []
                    entry.alerts = alerts.filter { $0.state != .inactive }.map(Self.alertStatus)
                    entry.state = alerts.contains { $0.state == .firing } ? "firing" : alerts.contains { $0.state == .pending } ? "pending" : "inactive"
                }
                rules.append(entry)
            }
            groups.append(RuleGroupStatus(name: status.group.name, file: status.group.file, interval: Double(status.group.interval) / 1e9,
                                          rules: rules, evaluationTime: status.seconds,
                                          lastEvaluation: status.lastEvaluation.map(QueryTime.format) ?? NotificationBuilder.zeroTime,
                                          evaluatedBy: status.owner))
        }
        return RulesResponse(groups: groups.sorted { ($0.file, $0.name) < ($1.file, $1.name) })
    }

    /// `/api/v1/alerts` for `tenant`: pending and firing alerts of the
    /// groups this node evaluates, and resolved ones when asked.
    func alerts(tenant: String, resolved: Bool) async -> AlertsResponse {
        var alerts: [AlertStatus] = []
        for evaluator in evaluators.values where evaluator.group.tenant == tenant {
            let status = await evaluator.status()
            for list in status.alerts.values {
                alerts += list.filter { resolved || $0.state != .inactive }.map(Self.alertStatus)
            }
        }
        return AlertsResponse(alerts: alerts.sorted { ($0.labels["alertname"] ?? "", $0.activeAt) < ($1.labels["alertname"] ?? "", $1.activeAt) })
    }

    /// The other nodes that evaluate some of `tenant`'s groups now.
    func otherOwners(tenant: String) async -> Set<String> {
        var owners: Set<String> = []
        for evaluator in evaluators.values where evaluator.group.tenant == tenant {
            if let owner = await evaluator.owner, owner != services.nodeID { owners.insert(owner) }
        }
        return owners
    }

    /// Rule groups, alerts and notifications for `/metrics`.
    func metricsText() async -> String {
        var owned = 0
        var failing = 0
        var states: [String: Int] = ["pending": 0, "firing": 0]
        var durations = ""
        for (key, evaluator) in evaluators.sorted(by: { $0.key < $1.key }) {
            let status = await evaluator.status()
            guard status.owner == services.nodeID else { continue }
            owned += 1
            failing += status.health.values.filter { $0.health == "err" }.count
            for list in status.alerts.values {
                for alert in list where alert.state != .inactive { states[alert.state.rawValue, default: 0] += 1 }
            }
            let escaped = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            durations += "tributary_rule_group_last_duration_seconds{group=\"\(escaped)\"} \(status.seconds)\n"
        }
        var text = "# HELP tributary_rule_groups Rule groups loaded, and evaluated by this node.\n# TYPE tributary_rule_groups gauge\n"
        text += "tributary_rule_groups{scope=\"loaded\"} \(evaluators.count)\ntributary_rule_groups{scope=\"evaluated_here\"} \(owned)\n"
        text += "# HELP tributary_rules_failing Rules whose last evaluation here failed (see /api/v1/rules).\n# TYPE tributary_rules_failing gauge\n"
        text += "tributary_rules_failing \(failing)\n"
        text += "# HELP tributary_alerts Alerts of the groups evaluated here, by state.\n# TYPE tributary_alerts gauge\n"
        for (state, count) in states.sorted(by: { $0.key < $1.key }) { text += "tributary_alerts{state=\"\(state)\"} \(count)\n" }
        text += "# HELP tributary_rule_group_last_duration_seconds How long the last evaluation of a group took.\n"
        text += "# TYPE tributary_rule_group_last_duration_seconds gauge\n" + durations
        return text + (await services.notifier.metricsText())
    }

    static func alertStatus(_ alert: Alert) -> AlertStatus {
        AlertStatus(labels: NotificationBuilder.dictionary(alert.labels), annotations: alert.sentAnnotations, state: alert.state.rawValue,
                    activeAt: QueryTime.format(alert.activeAt), value: AlertTemplate.goFloatText(alert.value),
                    firedAt: alert.firedAt.map(QueryTime.format), resolvedAt: alert.resolvedAt.map(QueryTime.format),
                    keepFiringSince: alert.keepFiringSince.map(QueryTime.format))
    }
}
