/// What an expression reads, known before it runs: a cluster gathers these
/// samples from the replicas first, then evaluates over them in memory.
extension QueryExpr {
    /// The metric selectors of the expression (every `.vector` and
    /// `.matrix`, also inside subqueries), in order of appearance.
    public var metricSelectors: [VectorSelector] {
        var found: [VectorSelector] = []
        visit { expr in
            switch expr {
            case .vector(let selector), .matrix(let selector, _): found.append(selector)
            default: break
            }
        }
        return found
    }

    /// The LogQL range aggregations of the expression, in order of appearance.
    public var logRanges: [LogRangeExpr] {
        var found: [LogRangeExpr] = []
        visit { expr in
            if case .logRange(let range) = expr { found.append(range) }
        }
        return found
    }

    /// The earliest and latest sample time an evaluation at `steps` can
    /// read through metric selectors, with `lookback` for instant
    /// selectors; nil when it reads none. Arithmetic saturates, so absurd
    /// offsets give a wide window rather than a trap.
    public func sampleWindow(_ steps: QuerySteps, lookback: Int64) -> ClosedRange<Int64>? {
        window(evaluatedFrom: steps.start, to: steps.end, steps: steps, lookback: lookback, logs: false)
    }

    /// The earliest and latest line time an evaluation at `steps` can read
    /// through LogQL range aggregations; nil when it reads none.
    public func logWindow(_ steps: QuerySteps) -> ClosedRange<Int64>? {
        window(evaluatedFrom: steps.start, to: steps.end, steps: steps, lookback: 0, logs: true)
    }

    private func window(evaluatedFrom first: Int64, to last: Int64, steps: QuerySteps, lookback: Int64, logs: Bool) -> ClosedRange<Int64>? {
        func times(_ at: AtModifier?, offset: Int64) -> (Int64, Int64) {
            switch at {
            case .time(let time)?: return (Self.subtract(time, offset), Self.subtract(time, offset))
            case .start?: return (Self.subtract(steps.start, offset), Self.subtract(steps.start, offset))
            case .end?: return (Self.subtract(steps.end, offset), Self.subtract(steps.end, offset))
            case nil: return (Self.subtract(first, offset), Self.subtract(last, offset))
            }
        }
        switch self {
        case .vector where logs, .matrix where logs:
            return nil
        case .logRange(let range) where logs:
            let (low, high) = times(nil, offset: range.offset)
            return Self.subtract(low, range.range)...max(Self.subtract(low, range.range), high)
        case .vector(let selector):
            let (low, high) = times(selector.at, offset: selector.offset)
            return Self.subtract(low, lookback)...max(Self.subtract(low, lookback), high)
        case .matrix(let selector, let range):
            let (low, high) = times(selector.at, offset: selector.offset)
            return Self.subtract(low, range)...max(Self.subtract(low, range), high)
        case .subquery(let subquery):
            let (low, high) = times(subquery.at, offset: subquery.offset)
            return subquery.expr.window(evaluatedFrom: Self.subtract(low, subquery.range), to: high, steps: steps, lookback: lookback, logs: logs)
        case .number, .string, .logs, .logRange:
            return nil
        case .call(_, let arguments):
            return Self.union(arguments.map { $0.window(evaluatedFrom: first, to: last, steps: steps, lookback: lookback, logs: logs) })
        case .aggregate(let aggregate):
            return Self.union([aggregate.expr, aggregate.parameter].compactMap { $0 }.map {
                $0.window(evaluatedFrom: first, to: last, steps: steps, lookback: lookback, logs: logs)
            })
        case .binary(let binary):
            return Self.union([binary.lhs, binary.rhs].map { $0.window(evaluatedFrom: first, to: last, steps: steps, lookback: lookback, logs: logs) })
        case .negate(let inner), .parenthesized(let inner):
            return inner.window(evaluatedFrom: first, to: last, steps: steps, lookback: lookback, logs: logs)
        }
    }

    /// Calls `body` on this expression and every one inside it, parents first.
    public func visit(_ body: (QueryExpr) -> Void) {
        body(self)
        switch self {
        case .number, .string, .vector, .matrix, .logs, .logRange: break
        case .subquery(let subquery): subquery.expr.visit(body)
        case .call(_, let arguments): for argument in arguments { argument.visit(body) }
        case .aggregate(let aggregate):
            aggregate.parameter?.visit(body)
            aggregate.expr.visit(body)
        case .binary(let binary):
            binary.lhs.visit(body)
            binary.rhs.visit(body)
        case .negate(let inner), .parenthesized(let inner): inner.visit(body)
        }
    }

    private static func union(_ windows: [ClosedRange<Int64>?]) -> ClosedRange<Int64>? {
        let present = windows.compactMap { $0 }
        guard let low = present.map(\.lowerBound).min(), let high = present.map(\.upperBound).max() else { return nil }
        return low...high
    }

    private static func subtract(_ time: Int64, _ duration: Int64) -> Int64 {
        let (difference, overflow) = time.subtractingReportingOverflow(duration)
        return overflow ? (duration > 0 ? .min : .max) : difference
    }
}
