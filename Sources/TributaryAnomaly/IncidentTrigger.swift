import TributaryModel

/// The alert or anomaly that opens an incident.
public struct IncidentTrigger: Sendable, Equatable {
    /// The alert's or rule's name.
    public var name: String
    public var labels: Labels
    /// When the problem began (ns): an anomaly's "since", an alert's activeAt.
    public var since: Int64
    /// When it fired (ns).
    public var time: Int64
    /// The first line of the explanation, such as
    /// "`process_resident_memory_bytes` of checkout is rising abnormally".
    public var summary: String
    /// The finding itself when the trigger is an anomaly (it is then not
    /// listed again among the other anomalous series).
    public var finding: AnomalyFinding?

    public init(name: String, labels: Labels, since: Int64, time: Int64, summary: String) {
        self.name = name
        self.labels = labels
        self.since = since
        self.time = time
        self.summary = summary
        self.finding = nil
    }

    /// An anomaly finding as the trigger.
    public init(finding: AnomalyFinding) {
        let scope = IncidentScope(labels: finding.labels)
        self.init(name: finding.rule, labels: finding.labels, since: finding.since, time: finding.time,
                  summary: Self.describe(finding, subject: scope.subject))
        self.finding = finding
    }

    /// "`metric` of checkout is rising abnormally".
    static func describe(_ finding: AnomalyFinding, subject: String?) -> String {
        let metric = finding.labels["__name__"].map { "`\($0)`" } ?? "`\(finding.rule)`"
        return "\(metric)\(subject.map { " of \($0)" } ?? "") is \(finding.movement) abnormally"
    }
}
