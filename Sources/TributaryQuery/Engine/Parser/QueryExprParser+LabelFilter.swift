/// LogQL label filters: `level="error"`, `status >= 500`,
/// `latency > 250ms`, `size < 20MB`, joined by `and` (also `,` or just a
/// space) and `or`; `and` binds tighter, parentheses group.
extension QueryExprParser {
    mutating func parseLabelFilter() throws(QueryError) -> LabelFilterExpr {
        try enter()
        defer { leave() }
        var filter = try parseLabelFilterConjunction()
        while current.isKeyword("or") {
            advance()
            filter = .or(filter, try parseLabelFilterConjunction())
        }
        return filter
    }

    private mutating func parseLabelFilterConjunction() throws(QueryError) -> LabelFilterExpr {
        var filter = try parseLabelFilterTerm()
        while true {
            if current.isKeyword("and") || current.isSymbol(",") {
                advance()
            } else if !startsLabelFilterTerm {
                return filter
            }
            filter = .and(filter, try parseLabelFilterTerm())
        }
    }

    /// A term written right after another one joins it with `and`.
    private var startsLabelFilterTerm: Bool {
        if current.isSymbol("(") { return true }
        guard case .identifier = current.kind, !current.isKeyword("or"), !current.isKeyword("and") else { return false }
        return isComparison(peek())
    }

    private mutating func parseLabelFilterTerm() throws(QueryError) -> LabelFilterExpr {
        if current.isSymbol("(") {
            let open = advance()
            let inner = try parseLabelFilter()
            try expect(")", "\")\" to close the \"(\" at position \(open.position)")
            return inner
        }
        guard case .identifier(let name) = current.kind, QueryTextFormat.isIdentifier(name) else {
            throw unexpected("a label filter such as level=\"error\" or status >= 500, or a stage such as json, logfmt, line_format")
        }
        advance()
        guard case .symbol(let symbol) = current.kind, isComparison(current) else {
            throw unexpected("a comparison (=, !=, =~, !~, ==, >, >=, <, <=) after \(name)")
        }
        if case .string = peek().kind, LabelMatcher.Operator(rawValue: symbol) != nil {
            return .matcher(try parseMatcher(name: name))
        }
        let opToken = advance()
        let comparison: LabelFilterExpr.ComparisonOperator
        switch symbol {
        case "=", "==": comparison = .equal
        case "!=": comparison = .notEqual
        case ">": comparison = .greater
        case ">=": comparison = .greaterOrEqual
        case "<": comparison = .less
        case "<=": comparison = .lessOrEqual
        default:
            throw QueryError(position: opToken.position, expected: "a quoted regular expression after \(symbol)", found: current.shown)
        }
        if case .identifier("ip") = current.kind, peek().isSymbol("(") {
            throw QueryError(position: current.position, message: "ip(…) label filters are not supported")
        }
        var negative = false
        if current.isSymbol("-") || current.isSymbol("+") { negative = advance().isSymbol("-") }
        let valueToken = current
        switch valueToken.kind {
        case .number(let text):
            advance()
            guard let value = NumberText.parse(text) else { throw QueryError(position: valueToken.position, message: NumberText.failure(text)) }
            return .number(name: name, comparison, negative ? -value : value)
        case .identifier(let word) where word.lowercased() == "inf" || word.lowercased() == "nan":
            advance()
            let value: Double = word.lowercased() == "inf" ? .infinity : .nan
            return .number(name: name, comparison, negative ? -value : value)
        case .unitNumber(let text):
            advance()
            switch DurationText.logQL(text) {
            case .success(let nanoseconds):
                return .duration(name: name, comparison, negative ? 0 - nanoseconds : nanoseconds)
            case .failure(.tooLong):
                throw QueryError(position: valueToken.position, expected: "a duration of at most 200y", found: valueToken.shown)
            case .failure(.malformed):
                guard let bytes = ByteSizeText.parse(text) else {
                    throw QueryError(position: valueToken.position, expected: "a number, a duration (250ms, 1.5s, 1h2m) or a byte size (20MB, 1KiB)",
                                     found: valueToken.shown)
                }
                return .bytes(name: name, comparison, negative ? -bytes : bytes)
            }
        default:
            throw unexpected(comparison == .equal || comparison == .notEqual ? "a quoted string, a number, a duration or a byte size"
                                                                              : "a number, a duration (250ms, 1.5s) or a byte size (20MB, 1KiB)")
        }
    }
}
