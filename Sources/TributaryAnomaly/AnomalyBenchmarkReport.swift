/// The suite's figures: precision per alarm and recall per planted anomaly.
///
/// - `anomaly_recall` = planted anomalies detected in time / planted anomalies.
/// - `anomaly_precision` = alarms explained by a planted anomaly / alarms
///   (1 when there are no alarms at all).
public struct AnomalyBenchmarkReport: Sendable, Equatable {
    public var cases: [AnomalyCaseResult]

    public init(cases: [AnomalyCaseResult]) {
        self.cases = cases
    }

    public var events: Int { cases.reduce(0) { $0 + $1.events } }
    public var detected: Int { cases.reduce(0) { $0 + $1.detected } }
    public var alarms: Int { cases.reduce(0) { $0 + $1.alarms } }
    public var trueAlarms: Int { cases.reduce(0) { $0 + $1.trueAlarms } }

    public var recall: Double { events == 0 ? 1 : Double(detected) / Double(events) }
    public var precision: Double { alarms == 0 ? 1 : Double(trueAlarms) / Double(alarms) }

    /// The median delay from a planted anomaly's start to its alarm (s).
    public var medianDelaySeconds: Double? {
        let delays = cases.flatMap(\.delaysSeconds).sorted()
        guard !delays.isEmpty else { return nil }
        return delays.count % 2 == 1 ? delays[delays.count / 2] : (delays[delays.count / 2 - 1] + delays[delays.count / 2]) / 2
    }
}
