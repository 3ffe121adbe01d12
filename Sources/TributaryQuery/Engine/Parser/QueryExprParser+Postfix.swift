/// What may follow an expression and binds tighter than any operator:
/// `[5m]` (a range), `[5m:1m]` (a subquery), `offset 5m`, `@ 1700000000`,
/// `@ start()`, `@ end()`, in any order Prometheus allows.
extension QueryExprParser {
    static let modifierTargetMessage = "must be preceded by an instant vector selector or range vector selector or a subquery"

    mutating func parsePostfix(_ base: ParsedExpr) throws(QueryError) -> ParsedExpr {
        var expr = base
        while true {
            if current.isSymbol("[") {
                expr = try parseRangeOrSubquery(expr)
            } else if current.isKeyword("offset") {
                expr = try parseOffset(expr)
            } else if current.isSymbol("@") {
                expr = try parseAt(expr)
            } else {
                return expr
            }
        }
    }

    private mutating func parseRangeOrSubquery(_ expr: ParsedExpr) throws(QueryError) -> ParsedExpr {
        let open = advance()
        if expr.type == .logs {
            throw QueryError(position: open.position, message: "a log range such as [5m] is only allowed inside a range aggregation, e.g. count_over_time({app=\"api\"}[5m])")
        }
        let range = try parsePositiveDuration("a range such as [5m] or a subquery such as [5m:1m]")
        if current.isSymbol(":") {
            advance()
            var step: Int64?
            if !current.isSymbol("]") { step = try parsePositiveDuration("a subquery step such as 1m, or \"]\"") }
            try expect("]", "\"]\" to close the subquery")
            if expr.type != .vector {
                addTypeError(QueryError(position: expr.start, message: "subquery is only allowed on instant vector, got \(Self.prometheusTypeName(expr.type)) instead"))
            }
            let subquery = Subquery(expr: expr.expr, range: range, step: step)
            return try node(.subquery(subquery), start: expr.start, type: .matrix, children: [expr])
        }
        guard current.isSymbol("]") else { throw unexpected("\":\" or \"]\" in a subquery or range") }
        advance()
        guard case .vector(let selector) = expr.expr else {
            throw QueryError(position: open.position, message: "ranges only allowed for vector selectors")
        }
        if selector.offset != 0 { throw QueryError(position: open.position, message: "no offset modifiers allowed before range") }
        if selector.at != nil { throw QueryError(position: open.position, message: "no @ modifiers allowed before range") }
        return ParsedExpr(expr: .matrix(selector, range: range), start: expr.start, type: .matrix, depth: expr.depth)
    }

    /// Prometheus' name of a type in the subquery error (`matrix`, not `range vector`).
    static func prometheusTypeName(_ type: QueryValueType) -> String {
        switch type {
        case .vector: return "vector"
        case .matrix: return "matrix"
        case .scalar: return "scalar"
        case .string: return "string"
        case .logs: return "log stream"
        }
    }

    /// A range or step: a duration (`5m`) or a number of seconds (`300`), > 0.
    mutating func parsePositiveDuration(_ expected: String) throws(QueryError) -> Int64 {
        let token = current
        let nanoseconds: Int64
        switch token.kind {
        case .unitNumber(let text):
            nanoseconds = try prometheusDuration(text, at: token.position)
        case .number(let text):
            guard NumberText.parse(text) != nil else { throw QueryError(position: token.position, message: NumberText.failure(text)) }
            guard let value = NumberText.nanoseconds(seconds: text) else {
                throw QueryError(position: token.position, expected: "a duration of at most 200y", found: token.shown)
            }
            nanoseconds = value
        default:
            throw unexpected(expected)
        }
        advance()
        guard nanoseconds > 0 else { throw QueryError(position: token.position, message: "duration must be greater than 0") }
        return nanoseconds
    }

    /// `offset 5m`, `offset -1h`, `offset 30` (seconds).
    mutating func parseSignedDuration(_ expected: String) throws(QueryError) -> Int64 {
        var negative = false
        if current.isSymbol("-") || current.isSymbol("+") { negative = advance().isSymbol("-") }
        let token = current
        let nanoseconds: Int64
        switch token.kind {
        case .unitNumber(let text):
            nanoseconds = try prometheusDuration(text, at: token.position)
        case .number(let text):
            guard NumberText.parse(text) != nil else { throw QueryError(position: token.position, message: NumberText.failure(text)) }
            guard let value = NumberText.nanoseconds(seconds: text) else {
                throw QueryError(position: token.position, expected: "a duration of at most 200y", found: token.shown)
            }
            nanoseconds = value
        default:
            throw unexpected(expected)
        }
        advance()
        return negative ? 0 - nanoseconds : nanoseconds
    }

    private mutating func parseOffset(_ expr: ParsedExpr) throws(QueryError) -> ParsedExpr {
        advance()
        let offset = try parseSignedDuration("a duration or a number of seconds after offset")
        var result = expr
        switch expr.expr {
        case .vector(var selector):
            guard selector.offset == 0 else { throw QueryError(position: expr.start, message: "offset may not be set multiple times") }
            selector.offset = offset
            result.expr = .vector(selector)
        case .matrix(var selector, let range):
            guard selector.offset == 0 else { throw QueryError(position: expr.start, message: "offset may not be set multiple times") }
            selector.offset = offset
            result.expr = .matrix(selector, range: range)
        case .subquery(var subquery):
            guard subquery.offset == 0 else { throw QueryError(position: expr.start, message: "offset may not be set multiple times") }
            subquery.offset = offset
            result.expr = .subquery(subquery)
        default:
            throw QueryError(position: expr.start, message: "offset modifier \(Self.modifierTargetMessage)")
        }
        return result
    }

    /// `@ 1700000000.5`, `@ start()`, `@ end()`.
    private mutating func parseAt(_ expr: ParsedExpr) throws(QueryError) -> ParsedExpr {
        advance()
        let modifier: AtModifier
        if (current.isKeyword("start") || current.isKeyword("end")) && peek().isSymbol("(") {
            let isStart = advance().isKeyword("start")
            advance()
            try expect(")", "\")\" after \(isStart ? "start(" : "end(")")
            modifier = isStart ? .start : .end
        } else {
            var negative = false
            if current.isSymbol("-") || current.isSymbol("+") { negative = advance().isSymbol("-") }
            let token = current
            var nanoseconds: Int64?
            switch token.kind {
            case .number(let text):
                guard NumberText.parse(text) != nil else { throw QueryError(position: token.position, message: NumberText.failure(text)) }
                nanoseconds = NumberText.nanoseconds(seconds: text, limit: Int64.max)
            case .unitNumber(let text): nanoseconds = try prometheusDuration(text, at: token.position)
            case .identifier where token.keyword == "inf" || token.keyword == "nan": nanoseconds = nil
            default: throw unexpected("a Unix time in seconds, start() or end() after @")
            }
            advance()
            guard let nanoseconds else {
                throw QueryError(position: expr.start, message: "timestamp out of bounds for @ modifier: \(negative ? "-" : "")\(token.shown) (\(QueryTime.rangeAdvice))")
            }
            modifier = .time(negative ? 0 - nanoseconds : nanoseconds)
        }
        var result = expr
        switch expr.expr {
        case .vector(var selector):
            guard selector.at == nil else { throw QueryError(position: expr.start, message: "@ <timestamp> may not be set multiple times") }
            selector.at = modifier
            result.expr = .vector(selector)
        case .matrix(var selector, let range):
            guard selector.at == nil else { throw QueryError(position: expr.start, message: "@ <timestamp> may not be set multiple times") }
            selector.at = modifier
            result.expr = .matrix(selector, range: range)
        case .subquery(var subquery):
            guard subquery.at == nil else { throw QueryError(position: expr.start, message: "@ <timestamp> may not be set multiple times") }
            subquery.at = modifier
            result.expr = .subquery(subquery)
        default:
            throw QueryError(position: expr.start, message: "@ modifier \(Self.modifierTargetMessage)")
        }
        return result
    }
}
