import TributaryModel

/// Output series keyed by labels: series with equal labels are merged when
/// their steps do not overlap, and refused with Prometheus' "vector cannot
/// contain metrics with the same labelset" when they do.
struct SeriesCollector {
    let count: Int
    private(set) var series: [StepSeries] = []
    private var index: [Labels: Int] = [:]

    init(count: Int) {
        self.count = count
    }

    /// The position of the output series called `labels`, created empty if new.
    mutating func slot(_ labels: Labels, dropName: Bool) -> Int {
        if let known = index[labels] { return known }
        let position = series.count
        index[labels] = position
        series.append(StepSeries(labels: labels, count: count, dropName: dropName))
        return position
    }

    mutating func set(_ slot: Int, step: Int, _ value: Double) throws {
        guard StepSeries.isAbsent(series[slot].values[step]) else { throw QueryEvaluationError.duplicateLabelset }
        series[slot].values[step] = value
    }

    mutating func merge(_ incoming: StepSeries) throws {
        guard let known = index[incoming.labels] else {
            index[incoming.labels] = series.count
            series.append(incoming)
            return
        }
        for step in incoming.values.indices where !StepSeries.isAbsent(incoming.values[step]) {
            try set(known, step: step, incoming.values[step])
        }
        series[known].dropName = series[known].dropName || incoming.dropName
    }
}
