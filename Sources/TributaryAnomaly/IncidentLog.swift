/// The incidents raised so far, so that one problem is one incident: a
/// trigger in the same scope (or one that joins it: the same service,
/// no other dimension in conflict, `IncidentScope.joins`) whose problem began within `mergeWindow` of
/// an open incident's start joins it (its evidence is merged, the id
/// kept) instead of opening another. Bounded: the oldest incidents are
/// dropped beyond `capacity`.
public struct IncidentLog: Sendable {
    public var mergeWindow: Int64
    public var capacity: Int
    /// Newest last.
    public private(set) var incidents: [Incident] = []

    public init(mergeWindow: Int64 = 3_600_000_000_000, capacity: Int = 1_000) {
        self.mergeWindow = mergeWindow
        self.capacity = Swift.max(1, capacity)
    }

    /// Records `incident`; returns the incident as kept and whether it is new.
    @discardableResult
    public mutating func record(_ incident: Incident, maximumEvidence: Int = 5) -> (incident: Incident, isNew: Bool) {
        if let index = incidents.lastIndex(where: { $0.scope.joins(incident.scope) && abs($0.start - incident.start) <= mergeWindow }) {
            var kept = incidents[index]
            var byKey: [String: IncidentEvidence] = [:]
            for one in kept.evidence + incident.evidence where (byKey[one.key]?.rank ?? -1) < one.rank { byKey[one.key] = one }
            kept.evidence = byKey.values.sorted { $0.rank != $1.rank ? $0.rank > $1.rank : $0.time < $1.time }
                .prefix(maximumEvidence).map { $0 }
            kept.start = Swift.min(kept.start, incident.start)
            kept.explanation = [kept.explanation.first ?? kept.title] + kept.evidence.map(\.text)
            incidents[index] = kept
            return (kept, false)
        }
        incidents.append(incident)
        if incidents.count > capacity { incidents.removeFirst(incidents.count - capacity) }
        return (incident, true)
    }
}
