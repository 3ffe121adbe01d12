import Foundation
import NIOCore
import TributaryModel

/// Gathers and ranks what explains a trigger, and writes the incident.
///
/// Candidates are taken from the trigger's scope (`IncidentScope`) and from
/// `lookback` before the problem began up to when it fired: change events
/// (deploys, config changes), log patterns that are new or changed rate,
/// other anomalous series and trend findings. Each is ranked by
///
///     rank = scope match × time proximity × strength × kind weight
///
/// where proximity is exp(−|t − since| / `proximityScale`) (halved again for
/// a change that came after the problem began, which cannot have caused
/// it), and strength is 1 for a deploy, 0.9 for other changes, 1 for a new
/// pattern, and grows with the score or rate ratio otherwise. The kind
/// weight puts likely causes before symptoms: changes 1, log patterns 0.9,
/// other anomalous series 0.7, trends 0.6. The explanation is the
/// trigger's line followed by the best `maximumEvidence`.
public struct IncidentBuilder: Sendable {
    public var scopeNames: [String]
    public var lookback: Int64
    public var proximityScale: Int64
    public var maximumEvidence: Int

    public init(scopeNames: [String] = IncidentScope.defaultNames, lookback: Int64 = 2 * 3_600_000_000_000,
                proximityScale: Int64 = 30 * 60_000_000_000, maximumEvidence: Int = 5) {
        self.scopeNames = scopeNames
        self.lookback = lookback
        self.proximityScale = proximityScale
        self.maximumEvidence = maximumEvidence
    }

    public func build(trigger: IncidentTrigger, changes: [ChangeEvent] = [], patterns: [any PatternEvidence] = [],
                      anomalies: [AnomalyFinding] = [], trends: [TrendFinding] = []) -> Incident {
        let scope = IncidentScope(labels: trigger.labels, names: scopeNames)
        var evidence: [IncidentEvidence] = []
        func add(_ kind: IncidentEvidence.Kind, _ time: Int64, _ labels: Labels, _ strength: Double, _ text: String, _ key: String) {
            let (earliest, overflow) = trigger.since.subtractingReportingOverflow(lookback)
            guard overflow || time >= earliest, time <= trigger.time else { return }
            let match = scope.match(labels)
            guard match > 0 else { return }
            var proximity = exp(-abs(Double(time) - Double(trigger.since)) / Double(Swift.max(1, proximityScale)))
            if kind == .change, time > trigger.since { proximity /= 2 }
            evidence.append(IncidentEvidence(kind: kind, time: time, labels: labels, text: text,
                                             rank: match * proximity * Swift.min(1, strength) * Self.weight(kind), key: key))
        }
        let reference = trigger.time
        for change in changes {
            let message = String(buffer: change.message)
            let what = message.isEmpty ? change.type : "\(change.type) `\(message)`"
            let verb = change.type == "deploy" ? "went out" : "happened"
            add(.change, change.timestamp, change.labels, change.type == "deploy" ? 1 : 0.9,
                "the \(what) \(verb) at \(ClockText.format(change.timestamp, reference: reference))",
                "change:\(change.type):\(change.timestamp):\(message)")
        }
        for pattern in patterns {
            let text: String
            let strength: Double
            if pattern.isNew {
                text = "the log pattern `\(pattern.pattern)` is new since \(ClockText.format(pattern.firstSeen, reference: reference))"
                    + (pattern.movement == "growing" ? " and growing" : "")
                strength = 1
            } else {
                let ratio = (pattern.rateAfter + 1e-9) / (pattern.rateBefore + 1e-9)
                text = "the log pattern `\(pattern.pattern)` went from \(Self.rate(pattern.rateBefore)) to \(Self.rate(pattern.rateAfter)) lines/s at \(ClockText.format(pattern.changedAt, reference: reference))"
                strength = Swift.min(1, abs(log2(ratio)) / 3)
            }
            add(.pattern, pattern.changedAt, pattern.labels, strength, text, "pattern:\(pattern.pattern):\(pattern.labels)")
        }
        for finding in anomalies where finding != trigger.finding && !(finding.labels == trigger.labels && finding.rule == trigger.name) {
            let subject = IncidentScope(labels: finding.labels, names: scopeNames).subject
            add(.anomaly, finding.since, finding.labels, abs(finding.peakScore) / 8,
                IncidentTrigger.describe(finding, subject: subject) + " since \(ClockText.format(finding.since, reference: reference))",
                "anomaly:\(finding.rule):\(finding.labels)")
        }
        for trend in trends {
            let metric = trend.labels["__name__"].map { "`\($0)`" } ?? "`\(trend.rule)`"
            add(.trend, trend.time, trend.labels, 0.8,
                "\(metric) will reach \(Self.rate(trend.threshold)) at \(ClockText.format(trend.crossesAt, reference: reference))",
                "trend:\(trend.rule):\(trend.labels)")
        }
        evidence.sort { $0.rank != $1.rank ? $0.rank > $1.rank : $0.time < $1.time }
        evidence = Array(evidence.prefix(maximumEvidence))
        let first = trigger.summary + " since \(ClockText.format(trigger.since, reference: reference))"
        return Incident(id: Incident.id(scope: scope, start: trigger.since), title: trigger.summary, scope: scope,
                        start: trigger.since, triggeredAt: trigger.time, trigger: trigger.name, triggerLabels: trigger.labels,
                        explanation: [first] + evidence.map(\.text), evidence: evidence)
    }

    static func weight(_ kind: IncidentEvidence.Kind) -> Double {
        switch kind {
        case .change: return 1
        case .pattern: return 0.9
        case .anomaly: return 0.7
        case .trend: return 0.6
        }
    }

    /// A rate for a sentence: up to three significant decimals.
    static func rate(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.3g", value)
    }
}
