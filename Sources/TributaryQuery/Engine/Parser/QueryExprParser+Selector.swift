/// Label matchers and PromQL vector selectors.
extension QueryExprParser {
    static let emptySelectorMessage = "vector selector must contain at least one non-empty matcher"

    /// Whether the brace selector starting at `start` names a metric
    /// (`{__name__="up"}` or `{"up"}`): then it is PromQL in every language.
    func braceSelectorIsNamed(at start: Int) -> Bool {
        var position = start + 1
        while position < tokens.count {
            let token = tokens[position]
            switch token.kind {
            case .symbol("}"), .end:
                return false
            case .identifier("__name__"):
                return true
            case .string:
                let previous = tokens[position - 1]
                let next = tokens[min(position + 1, tokens.count - 1)]
                if previous.isSymbol("{") || previous.isSymbol(","), next.isSymbol(",") || next.isSymbol("}") { return true }
            default:
                break
            }
            position += 1
        }
        return false
    }

    /// `name{matchers}`, `name` or `{matchers}`: the name becomes the last
    /// matcher (`__name__="name"`), as in Prometheus.
    mutating func parseVectorSelector(name: String?, start: Int) throws(QueryError) -> ParsedExpr {
        var matchers: [LabelMatcher] = []
        if current.isSymbol("{") { matchers = try parseMatchers(quotedNames: true) }
        if let name {
            if let other = matchers.first(where: { $0.name == "__name__" }) {
                addTypeError(QueryError(position: start,
                                        message: "metric name must not be set twice: \(QueryTextFormat.quoted(name)) or \(QueryTextFormat.quoted(other.value))"))
            }
            matchers.append(LabelMatcher(name: "__name__", op: .equal, value: name, regex: nil))
        } else if matchers.allSatisfy(Self.matchesEmpty) {
            addTypeError(QueryError(position: start, message: Self.emptySelectorMessage))
        }
        return ParsedExpr(expr: .vector(VectorSelector(name: name, matchers: matchers)), start: start, type: .vector, depth: 1)
    }

    /// Whether the matcher selects a series that lacks its label.
    static func matchesEmpty(_ matcher: LabelMatcher) -> Bool {
        switch matcher.op {
        case .equal: return matcher.value.isEmpty
        case .notEqual: return !matcher.value.isEmpty
        case .matchesRegex: return matcher.regex?.matchesWhole("") ?? false
        case .notMatchesRegex: return !(matcher.regex?.matchesWhole("") ?? true)
        }
    }

    /// `{name op "value", …}` with a trailing comma allowed. With
    /// `quotedNames` (PromQL), a name may be quoted (`{"http.status"="200"}`)
    /// and a lone quoted string is the metric name (`{"metric.name"}`).
    mutating func parseMatchers(quotedNames: Bool) throws(QueryError) -> [LabelMatcher] {
        try expect("{", "\"{\" to start a label selector")
        var matchers: [LabelMatcher] = []
        while !current.isSymbol("}") {
            let nameToken = current
            let name: String
            switch nameToken.kind {
            case .identifier(let identifier) where QueryTextFormat.isIdentifier(identifier):
                name = identifier
            case .string(let quoted) where quotedNames:
                name = quoted
            default:
                throw unexpected(quotedNames ? "a label name or \"}\"" : "a label name (letters, digits and _) or \"}\"")
            }
            advance()
            if case .string = nameToken.kind, current.isSymbol(",") || current.isSymbol("}") {
                matchers.append(LabelMatcher(name: "__name__", op: .equal, value: name, regex: nil))
            } else {
                matchers.append(try parseMatcher(name: name))
            }
            if current.isSymbol(",") {
                advance()
            } else if !current.isSymbol("}") {
                throw unexpected("\",\" or \"}\" after a label matcher")
            }
        }
        advance()
        return matchers
    }

    /// `op "value"` after a label name.
    mutating func parseMatcher(name: String) throws(QueryError) -> LabelMatcher {
        guard case .symbol(let symbol) = current.kind, let op = LabelMatcher.Operator(rawValue: symbol) else {
            throw unexpected("a matcher operator (=, !=, =~, !~)")
        }
        advance()
        let valueToken = current
        guard case .string(let value) = valueToken.kind else { throw unexpected("a quoted label value") }
        advance()
        let regex = op == .matchesRegex || op == .notMatchesRegex ? try compile(value, at: valueToken.position, dotMatchesNewline: true) : nil
        return LabelMatcher(name: name, op: op, value: value, regex: regex)
    }

    /// Label matchers compile as Prometheus' `^(?s:…)$`; line filters keep
    /// RE2's default (`.` stops at a line break).
    func compile(_ pattern: String, at position: Int, dotMatchesNewline: Bool) throws(QueryError) -> CompiledRegex {
        do {
            return try CompiledRegex(pattern, dotMatchesNewline: dotMatchesNewline)
        } catch {
            throw QueryError(position: position, expected: "a valid regular expression",
                             found: "\(QueryTextFormat.quoted(pattern)) (RE2 syntax: \(error.message), at offset \(error.position) of the pattern)")
        }
    }
}
