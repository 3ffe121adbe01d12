/// LogQL range aggregations over log lines:
/// `count_over_time({app="api"} |= "error" [5m])`,
/// `quantile_over_time(0.99, {app="api"} | json | unwrap duration(latency) [5m]) by (host)`,
/// with the range after the pipeline or right after the selector, an
/// optional `offset`, and parentheses around the selector part, as Loki
/// accepts them.
extension QueryExprParser {
    /// The part between a range aggregation's parentheses.
    private struct LogRangeBody {
        var selector: LogSelectorExpr
        var range: Int64?
        var offset: Int64 = 0
        var unwrap: LogUnwrap?
        /// The range came after stages: nothing but `)` may follow.
        var rangeEndsPipeline = false
    }

    /// Whether the call at the current token aggregates log lines: its
    /// (last) argument starts with a stream selector.
    func isLogRangeCall() -> Bool {
        guard peek().isSymbol("(") else { return false }
        var position = index + 2
        var token: QueryExprToken { tokens[min(position, tokens.count - 1)] }
        if token.isSymbol("-") || token.isSymbol("+") { position += 1 }
        if case .number = token.kind, tokens[min(position + 1, tokens.count - 1)].isSymbol(",") { position += 2 }
        while token.isSymbol("(") { position += 1 }
        return token.isSymbol("{") && !braceSelectorIsNamed(at: position)
    }

    mutating func parseLogRange(_ function: LogRangeExpr.Function) throws(QueryError) -> ParsedExpr {
        let nameToken = advance()
        try expect("(", "\"(\" after \(function.rawValue)")
        var parameter: Double?
        if !current.isSymbol("{") && !current.isSymbol("(") {
            var negative = false
            if current.isSymbol("-") || current.isSymbol("+") { negative = advance().isSymbol("-") }
            guard case .number(let text) = current.kind, let value = NumberText.parse(text) else { throw unexpected("a number or a log stream selector") }
            advance()
            parameter = negative ? -value : value
            try expect(",", "\",\" after the parameter of \(function.rawValue)")
        }
        let body = try parseLogRangeBody()
        guard let range = body.range else { throw unexpected("a range such as [5m] in \(function.rawValue)(…)") }
        try expect(")", "\")\" to close \(function.rawValue)(…)")
        var grouping: [String]?
        var without = false
        if current.isKeyword("by") || current.isKeyword("without") {
            without = advance().isKeyword("without")
            grouping = try parseGroupingLabels()
        }
        try validate(function, parameter: parameter, grouping: grouping != nil, unwrap: body.unwrap != nil, at: nameToken.position)
        let expr = LogRangeExpr(function: function, selector: body.selector, range: range, offset: body.offset, unwrap: body.unwrap,
                                parameter: parameter, grouping: grouping, without: without)
        return ParsedExpr(expr: .logRange(expr), start: nameToken.position, type: .vector, depth: 1)
    }

    /// Loki's rules: which functions take a parameter, grouping, `unwrap`.
    private func validate(_ function: LogRangeExpr.Function, parameter: Double?, grouping: Bool, unwrap: Bool, at position: Int) throws(QueryError) {
        let name = function.rawValue
        if let parameter, function != .quantileOverTime {
            throw QueryError(position: position, message: "parameter \(QueryTextFormat.number(parameter)) not supported for operation \(name)")
        }
        if parameter == nil, function == .quantileOverTime {
            throw QueryError(position: position, message: "parameter required for operation \(name)")
        }
        let groupable: Set<LogRangeExpr.Function> = [.avgOverTime, .stddevOverTime, .stdvarOverTime, .quantileOverTime, .maxOverTime, .minOverTime,
                                                     .firstOverTime, .lastOverTime]
        if grouping, !groupable.contains(function) {
            throw QueryError(position: position, message: "grouping not allowed for \(name) aggregation")
        }
        if unwrap {
            let unwrappable: Set<LogRangeExpr.Function> = [.avgOverTime, .sumOverTime, .maxOverTime, .minOverTime, .stddevOverTime, .stdvarOverTime,
                                                          .quantileOverTime, .rate, .rateCounter, .absentOverTime, .firstOverTime, .lastOverTime]
            guard unwrappable.contains(function) else { throw QueryError(position: position, message: "invalid aggregation \(name) with unwrap") }
        } else if function.needsUnwrap {
            throw QueryError(position: position, message: "invalid aggregation \(name) without unwrap")
        }
    }

    private mutating func parseLogRangeBody() throws(QueryError) -> LogRangeBody {
        try enter()
        defer { leave() }
        var body: LogRangeBody
        if current.isSymbol("(") {
            let open = advance()
            body = try parseLogRangeBody()
            try expect(")", "\")\" to close the \"(\" at position \(open.position)")
        } else {
            body = LogRangeBody(selector: try parseStreamSelector())
        }
        while true {
            if current.isSymbol("[") {
                guard body.range == nil else { throw unexpected("\")\": the range is already given") }
                let hadStages = !body.selector.stages.isEmpty || body.unwrap != nil
                advance()
                body.range = try parsePositiveDuration("a range such as 5m")
                try expect("]", "\"]\" to close the range")
                if current.isKeyword("offset") {
                    advance()
                    body.offset = try parseSignedDuration("a duration after offset")
                }
                body.rangeEndsPipeline = hadStages
            } else if current.isSymbol("|"), peek().isKeyword("unwrap"), !isComparison(peek(2)) {
                guard body.unwrap == nil, !body.rangeEndsPipeline else { throw unexpected("\")\" or the range") }
                body.unwrap = try parseUnwrap()
            } else if atLogStage {
                guard !body.rangeEndsPipeline else { throw unexpected("\")\" after the range") }
                if var unwrap = body.unwrap {
                    guard current.isSymbol("|") else { throw unexpected("a label filter (| __error__=\"\") or the range after | unwrap") }
                    advance()
                    unwrap.filters.append(try parseLabelFilter())
                    body.unwrap = unwrap
                } else {
                    _ = try parseLogStage(into: &body.selector)
                }
            } else {
                return body
            }
        }
    }

    /// `| unwrap latency`, `| unwrap duration(latency)`, `| unwrap bytes(size)`.
    private mutating func parseUnwrap() throws(QueryError) -> LogUnwrap {
        advance()
        advance()
        guard case .identifier(let word) = current.kind else { throw unexpected("a label name after unwrap") }
        if peek().isSymbol("("), let conversion = LogUnwrap.Conversion(rawValue: word.lowercased()), conversion != .none {
            advance()
            advance()
            guard case .identifier(let label) = current.kind, QueryTextFormat.isIdentifier(label) else { throw unexpected("a label name in \(word)(…)") }
            advance()
            try expect(")", "\")\" after the label name in \(word)(…)")
            return LogUnwrap(label: label, conversion: conversion)
        }
        guard QueryTextFormat.isIdentifier(word) else { throw unexpected("a label name after unwrap") }
        advance()
        return LogUnwrap(label: word)
    }
}
