/// Recursive-descent parser over `QueryLexer` tokens.
struct QueryParser {
    private let tokens: [QueryToken]
    private var index = 0

    init(_ text: String) throws(QueryError) {
        tokens = try QueryLexer.tokens(text)
    }

    private var current: QueryToken { tokens[index] }

    private mutating func advance() -> QueryToken {
        defer { index = min(index + 1, tokens.count - 1) }
        return tokens[index]
    }

    private func fail(_ expected: String) -> QueryError {
        QueryError(position: current.position, expected: expected, found: current.shown)
    }

    private mutating func expect(_ symbol: String, _ expected: String) throws(QueryError) {
        guard current.kind == .symbol(symbol) else { throw fail(expected) }
        _ = advance()
    }

    mutating func parseQuery() throws(QueryError) -> Query {
        let query: Query
        if current.kind == .symbol("{") {
            query = .logs(try parseLogQuery())
        } else {
            query = .metrics(try parseMetric())
        }
        guard current.kind == .end else { throw fail("the end of the query") }
        return query
    }

    // MARK: Logs

    private mutating func parseLogQuery() throws(QueryError) -> LogQuery {
        let selector = try parseMatchers()
        guard !selector.isEmpty else {
            throw QueryError(position: tokens[max(0, index - 1)].position, expected: "at least one label matcher, e.g. {app=\"nginx\"}", found: "an empty selector")
        }
        var filters: [LineFilter] = []
        while case .symbol(let symbol) = current.kind, let op = LineFilter.Operator(rawValue: symbol) {
            _ = advance()
            let (value, position) = try parseString("a quoted string after \(symbol)")
            let regex = try compile(value, at: position, if: op == .matchesRegex || op == .notMatchesRegex)
            filters.append(LineFilter(op: op, value: value, regex: regex))
        }
        return LogQuery(selector: selector, filters: filters)
    }

    /// `{name op "value", …}`
    private mutating func parseMatchers() throws(QueryError) -> [LabelMatcher] {
        try expect("{", "\"{\" to start a label selector")
        var matchers: [LabelMatcher] = []
        if current.kind == .symbol("}") {
            _ = advance()
            return matchers
        }
        while true {
            guard case .identifier(let name) = current.kind else {
                throw fail("a label name")
            }
            _ = advance()
            guard case .symbol(let symbol) = current.kind, let op = LabelMatcher.Operator(rawValue: symbol) else {
                throw fail("a matcher operator (=, !=, =~, !~)")
            }
            _ = advance()
            let (value, position) = try parseString("a quoted label value")
            let regex = try compile(value, at: position, if: op == .matchesRegex || op == .notMatchesRegex, dotMatchesNewline: true)
            matchers.append(LabelMatcher(name: name, op: op, value: value, regex: regex))
            if current.kind == .symbol(",") {
                _ = advance()
                if current.kind == .symbol("}") { break }
                continue
            }
            break
        }
        try expect("}", "\",\" or \"}\" after a label matcher")
        return matchers
    }

    private mutating func parseString(_ expected: String) throws(QueryError) -> (String, Int) {
        guard case .string(let value) = current.kind else { throw fail(expected) }
        let position = current.position
        _ = advance()
        return (value, position)
    }

    private func compile(_ pattern: String, at position: Int, if needed: Bool, dotMatchesNewline: Bool = false) throws(QueryError) -> CompiledRegex? {
        guard needed else { return nil }
        do {
            return try CompiledRegex(pattern, dotMatchesNewline: dotMatchesNewline)
        } catch {
            throw QueryError(position: position, expected: "a valid regular expression",
                             found: "\"\(pattern)\" (RE2 syntax: \(error.message), at offset \(error.position) of the pattern)")
        }
    }

    // MARK: Metrics

    private mutating func parseMetric() throws(QueryError) -> MetricQuery {
        guard case .identifier(let name) = current.kind else {
            throw fail("a metric name, a function such as rate(…) or an aggregation such as sum(…)")
        }
        if let aggregation = MetricQuery.Aggregation(rawValue: name), tokens[index + 1].kind == .symbol("(") || tokens[index + 1].kind == .identifier("by") {
            _ = advance()
            var by = try parseBy()
            try expect("(", "\"(\" after \(name)")
            let inner = try parseMetric()
            try expect(")", "\")\" to close \(name)(…)")
            if by.isEmpty { by = try parseBy() }
            return .aggregate(aggregation, by: by, inner)
        }
        if let function = MetricQuery.RangeFunction(rawValue: name) {
            _ = advance()
            try expect("(", "\"(\" after \(name)")
            let (metric, matchers) = try parseSelector()
            try expect("[", "a range such as [5m] after the selector in \(name)(…)")
            guard case .duration(let milliseconds) = current.kind, milliseconds > 0 else {
                throw fail("a duration such as 30s, 5m or 1h")
            }
            _ = advance()
            try expect("]", "\"]\" after the range")
            try expect(")", "\")\" to close \(name)(…)")
            return .range(function, metric: metric, matchers: matchers, milliseconds: milliseconds)
        }
        let (metric, matchers) = try parseSelector()
        return .selector(metric: metric, matchers: matchers)
    }

    private mutating func parseSelector() throws(QueryError) -> (String, [LabelMatcher]) {
        guard case .identifier(let metric) = current.kind else { throw fail("a metric name") }
        _ = advance()
        let matchers = current.kind == .symbol("{") ? try parseMatchers() : []
        return (metric, matchers)
    }

    /// `by (a, b)`, or nothing.
    private mutating func parseBy() throws(QueryError) -> [String] {
        guard current.kind == .identifier("by") else { return [] }
        _ = advance()
        try expect("(", "\"(\" after by")
        var labels: [String] = []
        while case .identifier(let label) = current.kind {
            labels.append(label)
            _ = advance()
            if current.kind == .symbol(",") { _ = advance() } else { break }
        }
        try expect(")", "a label name, \",\" or \")\" in by (…)")
        return labels
    }
}
