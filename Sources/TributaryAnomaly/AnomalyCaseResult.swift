/// How the detector did on one synthetic case.
public struct AnomalyCaseResult: Sendable, Equatable, Encodable {
    public var name: String
    /// Planted anomalies, and how many of them an alarm detected in time.
    public var events: Int
    public var detected: Int
    /// Alarms raised, and how many of them a planted anomaly explains.
    public var alarms: Int
    public var trueAlarms: Int
    /// Seconds from each detected anomaly's start to the first alarm firing for it.
    public var delaysSeconds: [Double]

    enum CodingKeys: String, CodingKey {
        case name = "case", events, detected, alarms, trueAlarms = "true_alarms", delaysSeconds = "delays_s"
    }
}
