import TributaryModel
import TributaryQuery

/// Compares a query's result with an eval's expected lines, as Prometheus'
/// `compareResult`: values equal within a relative 1e-6 (`almost.Equal`),
/// NaN equal to NaN, series unordered unless `ordered`.
enum ResultComparison {
    static let epsilon = 1e-6

    static func almostEqual(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN, b.isNaN { return true }
        if a == b { return true }
        let minNormal = Double(bitPattern: 0x0010_0000_0000_0000)
        let absSum = abs(a) + abs(b)
        let diff = abs(a - b)
        if a == 0 || b == 0 || absSum < minNormal { return diff < epsilon * minNormal }
        return diff / min(absSum, Double.greatestFiniteMagnitude) < epsilon
    }

    /// nil when equal, else what differs.
    static func compare(_ evalCase: EvalCase, _ result: QueryResult) -> String? {
        switch result {
        case .scalar(_, let value):
            guard let expected = evalCase.expectedScalar else { return "expected a vector or matrix, got scalar \(value)" }
            return almostEqual(expected, value) ? nil : "expected scalar \(expected), got \(value)"
        case .string(_, let value):
            guard let expected = evalCase.expectedString else { return "got string \"\(value)\"" }
            return expected == value ? nil : "expected string \"\(expected)\", got \"\(value)\""
        case .vector(let samples):
            if evalCase.expectedScalar != nil { return "expected a scalar, got a vector of \(samples.count)" }
            return compareVector(evalCase, samples.map { ($0.labels, $0.value) })
        case .matrix(let series):
            if evalCase.expectedScalar != nil { return "expected a scalar, got a matrix" }
            if evalCase.ordered { return "expected an ordered vector, got a matrix" }
            let (start, step) = evalCase.rangeVector.map { ($0.start, $0.step) } ?? (evalCase.start, evalCase.step)
            var expected: [Labels: [(Int64, Double)]] = [:]
            for one in evalCase.expectedSeries {
                var points: [(Int64, Double)] = []
                for (index, point) in one.points.enumerated() {
                    if case .value(let value) = point { points.append((start + Int64(index) * step, value)) }
                }
                expected[one.labels] = points
            }
            for one in series {
                guard let points = expected.removeValue(forKey: one.labels) else {
                    return "unexpected series \(one.labels) with \(one.values.count) points"
                }
                guard points.count == one.timestamps.count else {
                    return "\(one.labels): expected \(points.count) points, got \(zip(one.timestamps, one.values).map { "\($0 / 1_000_000)ms:\($1)" })"
                }
                for (index, point) in points.enumerated() {
                    guard point.0 == one.timestamps[index], almostEqual(point.1, one.values[index]) else {
                        return "\(one.labels): expected \(point.1) at \(point.0 / 1_000_000)ms, got \(one.values[index]) at \(one.timestamps[index] / 1_000_000)ms"
                    }
                }
            }
            if let missing = expected.first {
                return "expected series \(missing.key) not found"
            }
            return nil
        }
    }

    static func compareVector(_ evalCase: EvalCase, _ samples: [(Labels, Double)]) -> String? {
        var expected: [Labels: EvalCase.ExpectedSeries] = [:]
        for one in evalCase.expectedSeries { expected[one.labels] = one }
        var seen: Set<Labels> = []
        for (position, sample) in samples.enumerated() {
            guard let want = expected[sample.0] else { return "unexpected series \(sample.0) = \(sample.1)" }
            if evalCase.ordered, want.position != position + 1 {
                return "expected \(sample.0) at position \(want.position), found at \(position + 1)"
            }
            guard case .value(let value)? = want.points.first else { return "\(sample.0): expected no value" }
            guard almostEqual(value, sample.1) else { return "\(sample.0): expected \(value), got \(sample.1)" }
            seen.insert(sample.0)
        }
        if let missing = expected.keys.first(where: { !seen.contains($0) }) {
            return "expected series \(missing) not found"
        }
        return nil
    }

    /// The instant answer against the middle step of the range query around it.
    static func compareMiddleStep(_ evalCase: EvalCase, _ result: QueryResult, wasScalar: Bool) -> String? {
        guard case .matrix(let series) = result else { return "range query did not return a matrix" }
        var samples: [(Labels, Double)] = []
        for one in series {
            if let index = one.timestamps.firstIndex(of: evalCase.start) { samples.append((one.labels, one.values[index])) }
        }
        if wasScalar {
            guard let first = samples.first, let expected = evalCase.expectedScalar else { return "no scalar at the middle step" }
            return almostEqual(expected, first.1) ? nil : "expected scalar \(expected), got \(first.1)"
        }
        var unordered = evalCase
        unordered.ordered = false
        return compareVector(unordered, samples)
    }
}
