import TributaryModel

/// A series evaluated at every step of a grid: `values[i]` is its value at
/// step i, or `StepSeries.absent` where it has none.
///
/// Absence is a NaN with its own payload rather than a separate array of
/// flags: half the memory, one load per point. No arithmetic produces this
/// exact pattern (operations on it return a quiet NaN), and the evaluator
/// tests for it before computing, so a computed NaN is never mistaken for
/// an absent point.
struct StepSeries {
    static let absentBits: UInt64 = 0x7ff0_0000_0000_0003
    static let absent = Double(bitPattern: absentBits)

    var labels: Labels
    var values: [Double]
    /// Prometheus' delayed name removal: the function or operator that made
    /// this series dropped the metric name, but the name is removed only
    /// when the query is done (so `label_replace` can still read it).
    var dropName: Bool

    init(labels: Labels, values: [Double], dropName: Bool = false) {
        self.labels = labels
        self.values = values
        self.dropName = dropName
    }

    init(labels: Labels, count: Int, dropName: Bool = false) {
        self.init(labels: labels, values: [Double](repeating: StepSeries.absent, count: count), dropName: dropName)
    }

    @inline(__always)
    static func isAbsent(_ value: Double) -> Bool { value.bitPattern == absentBits }

    var presentCount: Int { values.reduce(0) { $0 + (StepSeries.isAbsent($1) ? 0 : 1) } }
    var isEmpty: Bool { values.allSatisfy(StepSeries.isAbsent) }
}
