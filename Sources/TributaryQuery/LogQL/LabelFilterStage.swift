/// `| level="error"`, `| status >= 500 and latency > 250ms or size > 1KB`,
/// with Loki's rules: a string matcher compares a missing label as "" (and
/// can test `__error__`); a number, duration or bytes comparison drops a
/// line without the label, and keeps a line whose value does not convert,
/// setting `__error__="LabelFilterErr"` (unless an error is already set)
/// so that the query can see or filter it. `or` tries its right side only
/// when the left fails.
final class LabelFilterStage: LogPipelineStage {
    private let expr: LabelFilterExpr

    init(_ expr: LabelFilterExpr) {
        self.expr = expr
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        Self.evaluate(expr, &labels)
    }

    static func evaluate(_ expr: LabelFilterExpr, _ labels: inout LogLabelBuilder) -> Bool {
        switch expr {
        case .and(let left, let right):
            let leftResult = evaluate(left, &labels)
            let rightResult = evaluate(right, &labels)
            return leftResult && rightResult
        case .or(let left, let right):
            return evaluate(left, &labels) || evaluate(right, &labels)
        case .matcher(let matcher):
            return matcher.matches(value: labels.value(of: matcher.name))
        case .number(let name, let op, let threshold):
            guard let text = labels.get(name) else { return false }
            guard let value = Double(text) else {
                return conversionFailed(&labels, "strconv.ParseFloat: parsing \"\(text)\": invalid syntax")
            }
            return compare(value, op, threshold)
        case .duration(let name, let op, let threshold):
            guard let text = labels.get(name) else { return false }
            do throws(GoDuration.Failure) {
                return compare(Double(try GoDuration.parse(text)), op, Double(threshold))
            } catch {
                return conversionFailed(&labels, error.description)
            }
        case .bytes(let name, let op, let threshold):
            guard let text = labels.get(name) else { return false }
            do throws(HumanBytes.Failure) {
                return compare(try HumanBytes.parse(text), op, threshold)
            } catch {
                return conversionFailed(&labels, error.description)
            }
        }
    }

    private static func conversionFailed(_ labels: inout LogLabelBuilder, _ details: String) -> Bool {
        if labels.error.isEmpty { labels.setError(LogLabelNames.labelFilterError, details: details) }
        return true
    }

    static func compare(_ value: Double, _ op: LabelFilterExpr.ComparisonOperator, _ threshold: Double) -> Bool {
        switch op {
        case .equal: return value == threshold
        case .notEqual: return value != threshold
        case .greater: return value > threshold
        case .greaterOrEqual: return value >= threshold
        case .less: return value < threshold
        case .lessOrEqual: return value <= threshold
        }
    }
}
