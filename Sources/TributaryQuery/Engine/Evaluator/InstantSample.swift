import TributaryModel

/// One element of an instant vector: a series' labels and its value at the
/// evaluation time.
public struct InstantSample: Sendable, Equatable {
    public var labels: Labels
    /// ns since the epoch: the evaluation time.
    public var time: Int64
    public var value: Double

    public init(labels: Labels, time: Int64, value: Double) {
        self.labels = labels
        self.time = time
        self.value = value
    }
}
