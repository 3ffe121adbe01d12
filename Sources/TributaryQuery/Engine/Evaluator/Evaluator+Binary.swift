import TributaryModel

extension Evaluator {
    func binary(_ expr: BinaryExpr, _ grid: StepGrid) throws -> EvalValue {
        let lhs = try eval(expr.lhs, grid)
        let rhs = try eval(expr.rhs, grid)
        defer {
            release(Evaluator.points(lhs))
            release(Evaluator.points(rhs))
        }
        let result: EvalValue
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            var values = [Double](repeating: 0, count: grid.count)
            for step in 0..<grid.count {
                let (value, keep) = BinaryOperation.apply(expr.op, left[step], right[step])
                values[step] = expr.op.isComparison ? (keep ? 1 : 0) : value
            }
            result = .scalar(values)
        case (.vector(let vector), .scalar(let scalar)):
            result = .vector(vectorScalar(expr, vector, scalar, scalarOnLeft: false))
        case (.scalar(let scalar), .vector(let vector)):
            result = .vector(vectorScalar(expr, vector, scalar, scalarOnLeft: true))
        case (.vector(let left), .vector(let right)):
            let matching = expr.matching ?? VectorMatching(cardinality: expr.op.isSetOperator ? .manyToMany : .oneToOne, on: false, labels: [])
            if expr.op.isSetOperator {
                result = .vector(try setOperation(expr.op, left, right, matching, grid))
            } else {
                result = .vector(try vectorVector(expr, left, right, matching, grid))
            }
        default:
            throw QueryEvaluationError("binary operator \(expr.op.rawValue) needs scalars or instant vectors on both sides")
        }
        try charge(Evaluator.points(result))
        return result
    }

    private func vectorScalar(_ expr: BinaryExpr, _ vector: [StepSeries], _ scalar: [Double], scalarOnLeft: Bool) -> [StepSeries] {
        var output: [StepSeries] = []
        output.reserveCapacity(vector.count)
        let changesSchema = !expr.op.isComparison
        for series in vector {
            var values = series.values
            var any = false
            for step in values.indices {
                let value = values[step]
                guard !StepSeries.isAbsent(value) else { continue }
                let (left, right) = scalarOnLeft ? (scalar[step], value) : (value, scalar[step])
                var (result, keep) = BinaryOperation.apply(expr.op, left, right)
                if expr.op.isComparison, scalarOnLeft { result = right }
                if expr.returnBool {
                    result = keep ? 1 : 0
                    keep = true
                }
                if keep {
                    values[step] = result
                    any = true
                } else {
                    values[step] = StepSeries.absent
                }
            }
            if any {
                output.append(StepSeries(labels: series.labels, values: values,
                                         dropName: series.dropName || changesSchema || expr.returnBool))
            }
        }
        return output
    }

    /// Signature ordinals of both sides: series with equal ordinals match.
    private func signatures(_ left: [StepSeries], _ right: [StepSeries], _ matching: VectorMatching) -> (left: [Int], right: [Int], count: Int) {
        var ordinals: [String: Int] = [:]
        func ordinal(_ series: StepSeries) -> Int {
            let key = series.labels.signature(on: matching.on, names: matching.labels)
            if let known = ordinals[key] { return known }
            let next = ordinals.count
            ordinals[key] = next
            return next
        }
        let leftOrdinals = left.map(ordinal)
        let rightOrdinals = right.map(ordinal)
        return (leftOrdinals, rightOrdinals, ordinals.count)
    }

    private func setOperation(_ op: BinaryExpr.Operator, _ left: [StepSeries], _ right: [StepSeries],
                              _ matching: VectorMatching, _ grid: StepGrid) throws -> [StepSeries] {
        let (leftSigs, rightSigs, count) = signatures(left, right, matching)
        var output = SeriesCollector(count: grid.count)
        var present = [Bool](repeating: false, count: count)
        var leftOut = left.map { StepSeries(labels: $0.labels, count: grid.count, dropName: $0.dropName) }
        var rightOut = right.map { StepSeries(labels: $0.labels, count: grid.count, dropName: $0.dropName) }
        for step in 0..<grid.count {
            for index in present.indices { present[index] = false }
            switch op {
            case .and, .unless:
                for (index, series) in right.enumerated() where !StepSeries.isAbsent(series.values[step]) {
                    present[rightSigs[index]] = true
                }
                for (index, series) in left.enumerated() where !StepSeries.isAbsent(series.values[step]) {
                    if present[leftSigs[index]] == (op == .and) { leftOut[index].values[step] = series.values[step] }
                }
            default:
                for (index, series) in left.enumerated() where !StepSeries.isAbsent(series.values[step]) {
                    present[leftSigs[index]] = true
                    leftOut[index].values[step] = series.values[step]
                }
                for (index, series) in right.enumerated() where !StepSeries.isAbsent(series.values[step]) {
                    if !present[rightSigs[index]] { rightOut[index].values[step] = series.values[step] }
                }
            }
        }
        for series in leftOut where !series.isEmpty { try output.merge(series) }
        for series in rightOut where !series.isEmpty { try output.merge(series) }
        return output.series
    }

    private func vectorVector(_ expr: BinaryExpr, _ left: [StepSeries], _ right: [StepSeries],
                              _ matching: VectorMatching, _ grid: StepGrid) throws -> [StepSeries] {
        guard matching.cardinality != .manyToMany else {
            throw QueryEvaluationError("many-to-many only allowed for set operators")
        }
        if left.isEmpty || right.isEmpty { return [] }
        var (leftSigs, rightSigs, sigCount) = signatures(left, right, matching)
        // The "many" side is iterated, the "one" side looked up.
        let swapped = matching.cardinality == .oneToMany
        let many = swapped ? right : left
        let one = swapped ? left : right
        if swapped { swap(&leftSigs, &rightSigs) }
        let manySigs = leftSigs, oneSigs = rightSigs

        var oneAt = [Int](repeating: -1, count: sigCount)
        var matched = [Bool](repeating: false, count: sigCount)
        var inserted = [Set<Labels>](repeating: [], count: matching.cardinality == .oneToOne ? 0 : sigCount)
        var outputIndex: [Labels: Int] = [:]
        var output: [StepSeries] = []
        // Result labels per (many, one) pair, computed once.
        var resultLabels: [Int: Labels] = [:]
        let dropsName = !expr.op.isComparison

        for step in 0..<grid.count {
            for index in oneAt.indices { oneAt[index] = -1 }
            for (index, series) in one.enumerated() where !StepSeries.isAbsent(series.values[step]) {
                let sig = oneSigs[index]
                if oneAt[sig] >= 0 {
                    let side = swapped ? "left" : "right"
                    let group = series.labels.matchingGroup(on: matching.on, names: matching.labels)
                    var pair = [series.labels.promString, one[oneAt[sig]].labels.promString]
                    pair.sort()
                    throw QueryEvaluationError("found duplicate series for the match group \(group.promString) on the \(side) hand-side of the operation: [\(pair[0]), \(pair[1])];many-to-many matching not allowed: matching labels must be unique on one side")
                }
                oneAt[sig] = index
            }
            if matching.cardinality == .oneToOne {
                for index in matched.indices { matched[index] = false }
            } else {
                for index in inserted.indices where !inserted[index].isEmpty { inserted[index].removeAll(keepingCapacity: true) }
            }
            for (index, series) in many.enumerated() {
                let value = series.values[step]
                guard !StepSeries.isAbsent(value) else { continue }
                let sig = manySigs[index]
                let oneIndex = oneAt[sig]
                guard oneIndex >= 0 else { continue }
                let other = one[oneIndex].values[step]
                let (lhsValue, rhsValue) = swapped ? (other, value) : (value, other)
                var (result, keep) = BinaryOperation.apply(expr.op, lhsValue, rhsValue)
                if expr.returnBool {
                    result = keep ? 1 : 0
                }
                let pairKey = index &* one.count &+ oneIndex
                let labels: Labels
                if let known = resultLabels[pairKey] {
                    labels = known
                } else {
                    labels = Evaluator.resultMetric(series.labels, one[oneIndex].labels, matching, dropName: dropsName)
                    resultLabels[pairKey] = labels
                }
                if matching.cardinality == .oneToOne {
                    if matched[sig] {
                        throw QueryEvaluationError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                    }
                    matched[sig] = true
                } else {
                    if inserted[sig].contains(labels) {
                        throw QueryEvaluationError("multiple matches for labels: grouping labels must ensure unique matches")
                    }
                    inserted[sig].insert(labels)
                }
                guard keep || expr.returnBool else { continue }
                let target: Int
                if let known = outputIndex[labels] {
                    target = known
                } else {
                    target = output.count
                    outputIndex[labels] = target
                    output.append(StepSeries(labels: labels, count: grid.count, dropName: expr.returnBool))
                }
                guard StepSeries.isAbsent(output[target].values[step]) else { throw QueryEvaluationError.duplicateLabelset }
                output[target].values[step] = result
            }
        }
        return output
    }

    /// Prometheus' `resultMetric`: the "many" side's labels, without the
    /// name for arithmetic, reduced to the matching labels for one-to-one,
    /// plus the `group_x(…)` labels copied from the "one" side.
    static func resultMetric(_ many: Labels, _ one: Labels, _ matching: VectorMatching, dropName: Bool) -> Labels {
        var labels = dropName ? many.droppingMetricName : many
        if matching.cardinality == .oneToOne {
            labels = matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels)
        }
        for name in matching.include {
            labels = labels.setting(unchecked: name, one[name] ?? "")
        }
        return labels
    }
}

extension Labels {
    /// The labels a match group is named by in error messages.
    func matchingGroup(on: Bool, names: [String]) -> Labels {
        on ? keeping(names) : Labels(sortedUnchecked: pairs.filter { !names.contains($0.name) && $0.name != Labels.metricName })
    }
}
