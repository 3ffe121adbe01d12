import NIOCore
import TributaryAnomaly
import TributaryModel
import TributaryQuery

extension IncidentService {
    /// The change events (`trib event`, CI) of the scope's service or app
    /// in [from, to], newest first, at most `maximumChanges`. On a single
    /// node every stored record of the window is scanned; in a cluster the
    /// newest 10,000 records of the service in the window are asked for
    /// (events are rare beside logs, but a very chatty service can push
    /// older events out of that window).
    func changeEvents(_ scope: IncidentScope, tenant: String, from: Int64, to: Int64) async throws -> [ChangeEvent] {
        let labels = scope.dictionary
        guard let subject = labels["service"] ?? labels["app"] else { return [] }
        // An event with both labels is found twice: a set.
        var events: Set<ChangeEvent> = []
        for name in ["service", "app"] {
            let text = "{\(name)=\(IncidentGatherer.quoted(subject))}"
            guard case .logs(let selector) = try QueryExpr.parse(text, language: .logql) else { continue }
            events.formUnion(try await runner.events(LogQuery(selector), text: text, tenant: tenant, from: from, to: to,
                                                     limit: Self.maximumChanges, timeout: Self.timeout))
        }
        return Array(events.sorted { $0.timestamp > $1.timestamp }.prefix(Self.maximumChanges))
    }

    /// The log patterns of the scope's service or app that are new (first
    /// seen after the stream's first hour, within the last hour) or whose
    /// rate left its band, from the per-minute counts this node mined at
    /// ingest (`LogPatternRecorder`; in a cluster, the lines this node
    /// stores). A new pattern's time is its exact first sighting.
    func patternFindings(_ scope: IncidentScope, tenant: String, at time: Int64) async throws -> [any PatternEvidence] {
        let labels = scope.dictionary
        guard let subject = labels["service"] ?? labels["app"] else { return [] }
        let recorder = runner.store.patterns
        let detector = PatternAnomalyDetector(step: recorder.settings.bucketNanoseconds)
        var findings: [PatternFinding] = []
        for name in ["service", "app"] {
            let text = "{\(name)=\(IncidentGatherer.quoted(subject))}"
            guard case .logs(let selector) = try QueryExpr.parse(text, language: .logql) else { continue }
            findings += recorder.findings(tenant: tenant, matching: selector.matchers, detector: detector, at: time)
        }
        return findings
    }
}
