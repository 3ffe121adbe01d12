/// Prometheus' `quantile` (promql/quantile.go): the φ-quantile of a set of
/// values by linear interpolation between the closest ranks; NaN sorts first.
enum Quantile {
    static func of(_ q: Double, _ values: [Double]) -> Double {
        guard !values.isEmpty, !q.isNaN else { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { a, b in a.isNaN ? !b.isNaN : (!b.isNaN && a < b) }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = max(0, rank.rounded(.down))
        let upper = min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }
}
