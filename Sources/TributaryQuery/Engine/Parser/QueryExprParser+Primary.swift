/// Literals, parentheses, selectors, function calls and aggregations.
extension QueryExprParser {
    /// Keywords that cannot name a metric (the others — `sum`, `by`,
    /// `offset`, `and`, `start` … — can, where no keyword is expected).
    static let nonMetricKeywords: Set<String> = ["bool", "on", "ignoring", "group_left", "group_right", "atan2"]

    mutating func parsePrimary() throws(QueryError) -> ParsedExpr {
        let token = current
        switch token.kind {
        case .number(let text):
            advance()
            guard let value = NumberText.parse(text) else {
                throw QueryError(position: token.position, message: NumberText.failure(text))
            }
            return ParsedExpr(expr: .number(value), start: token.position, type: .scalar, depth: 1)
        case .unitNumber(let text):
            advance()
            let nanoseconds = try prometheusDuration(text, at: token.position)
            return ParsedExpr(expr: .number(Double(nanoseconds) / 1e9), start: token.position, type: .scalar, depth: 1)
        case .string(let value):
            advance()
            return ParsedExpr(expr: .string(value), start: token.position, type: .string, depth: 1)
        case .symbol("("):
            return try parseParenthesized()
        case .symbol("{"):
            if language == .promql || braceSelectorIsNamed(at: index) {
                return try parseVectorSelector(name: nil, start: token.position)
            }
            return try parseLogQuery()
        case .identifier(let name):
            return try parseIdentifierExpression(name)
        default:
            throw unexpected("an expression (a number, a string, a selector, a function call, an aggregation or \"(\")")
        }
    }

    private mutating func parseParenthesized() throws(QueryError) -> ParsedExpr {
        let open = advance()
        let inner = try parseExpression()
        try expect(")", "\")\" to close the \"(\" at position \(open.position)")
        // LogQL drops parentheses around a log query.
        if inner.type == .logs { return inner }
        return try node(.parenthesized(inner.expr), start: open.position, type: inner.type, children: [inner])
    }

    private mutating func parseIdentifierExpression(_ name: String) throws(QueryError) -> ParsedExpr {
        let token = current
        let lower = name.lowercased()
        if lower == "inf" || lower == "nan" {
            advance()
            return ParsedExpr(expr: .number(lower == "inf" ? .infinity : .nan), start: token.position, type: .scalar, depth: 1)
        }
        if let op = AggregateExpr.Operator(rawValue: lower), peek().isSymbol("(") || peek().isKeyword("by") || peek().isKeyword("without") {
            return try parseAggregate(op)
        }
        if peek().isSymbol("(") {
            return try parseCall()
        }
        guard !Self.nonMetricKeywords.contains(lower) else {
            throw unexpected("an expression (a number, a string, a selector, a function call, an aggregation or \"(\")")
        }
        advance()
        return try parseVectorSelector(name: name, start: token.position)
    }

    /// A Prometheus duration (`5m`, `1h30m`), in nanoseconds.
    func prometheusDuration(_ text: String, at position: Int) throws(QueryError) -> Int64 {
        switch DurationText.prometheus(text) {
        case .success(let nanoseconds): return nanoseconds
        case .failure(.tooLong): throw QueryError(position: position, expected: "a duration of at most 200y", found: "\"\(text)\"")
        case .failure(.malformed):
            throw QueryError(position: position, expected: "a number or a duration such as 5m, 1h30m or 250ms (units ms, s, m, h, d, w, y, largest first)",
                             found: "\"\(text)\"")
        }
    }

    // MARK: Calls

    /// The arguments between parentheses, each with its position and type.
    mutating func parseArguments(of name: String) throws(QueryError) -> [ParsedExpr] {
        try expect("(", "\"(\" after \(name)")
        var arguments: [ParsedExpr] = []
        while !current.isSymbol(")") {
            arguments.append(try parseExpression())
            if current.isSymbol(",") {
                let comma = advance()
                if current.isSymbol(")") { throw QueryError(position: comma.position, message: "trailing commas not allowed in function call args") }
            } else if !current.isSymbol(")") {
                throw unexpected("\",\" or \")\" in the arguments of \(name)(…)")
            }
        }
        advance()
        return arguments
    }

    private mutating func parseCall() throws(QueryError) -> ParsedExpr {
        let nameToken = current
        guard case .identifier(let name) = nameToken.kind else { throw unexpected("a function name") }
        if language != .promql, let function = LogRangeExpr.Function(rawValue: name.lowercased()), isLogRangeCall() {
            return try parseLogRange(function)
        }
        guard let function = PromQLFunction.named(name) else {
            if let logFunction = LogRangeExpr.Function(rawValue: name.lowercased()) {
                throw QueryError(position: nameToken.position, message: "\(logFunction.rawValue) is a LogQL range aggregation: write \(logFunction.rawValue)({app=\"…\"} [5m]) (with a log stream selector, not a metric)")
            }
            throw QueryError(position: nameToken.position, message: "unknown function with name \(QueryTextFormat.quoted(name))")
        }
        advance()
        let countOrder = reserveTypeErrorOrder()
        let arguments = try parseArguments(of: name)
        if arguments.count < function.minimumArgumentCount || arguments.count > (function.maximumArgumentCount ?? Int.max) {
            let message: String
            if function.variadic == 0 {
                message = "expected \(function.argumentTypes.count) argument(s) in call to \(QueryTextFormat.quoted(name)), got \(arguments.count)"
            } else if arguments.count < function.minimumArgumentCount {
                message = "expected at least \(function.minimumArgumentCount) argument(s) in call to \(QueryTextFormat.quoted(name)), got \(arguments.count)"
            } else {
                message = "expected at most \(function.maximumArgumentCount ?? 0) argument(s) in call to \(QueryTextFormat.quoted(name)), got \(arguments.count)"
            }
            addTypeError(QueryError(position: nameToken.position, message: message), order: countOrder)
        }
        if name == "info", arguments.count > 1 {
            checkInfoSelector(arguments[1], callStart: nameToken.position)
        }
        for (offset, argument) in arguments.enumerated() {
            guard let wanted = function.argumentType(at: offset) else { break }
            if argument.type != wanted {
                addTypeError(QueryError(position: argument.start,
                                        message: "expected type \(wanted.documentedName) in call to function \(QueryTextFormat.quoted(name)), got \(argument.type.documentedName)"))
            }
        }
        return try node(.call(function: name, arguments: arguments.map(\.expr)), start: nameToken.position, type: function.returnType, children: arguments)
    }

    /// `info(v, {label selectors})`: the second argument selects labels
    /// only, so it needs no non-empty matcher but must have no metric name.
    private mutating func checkInfoSelector(_ argument: ParsedExpr, callStart: Int) {
        if argument.type != .vector {
            addTypeError(QueryError(position: callStart, message: "expected type instant vector in call to function \"info\", got \(argument.type.documentedName)"))
        }
        guard case .vector(let selector) = argument.expr else {
            addTypeError(QueryError(position: argument.start, message: "expected label selectors only"))
            return
        }
        if selector.name != nil {
            addTypeError(QueryError(position: argument.start, message: "expected label selectors only, got vector selector instead"))
        } else {
            withdrawTypeError(at: argument.start, message: Self.emptySelectorMessage)
        }
    }

    // MARK: Aggregations

    /// `sum by (job) (x)`, `sum(x) without (instance)`, `topk(3, x)`,
    /// `count_values("value", x)`.
    private mutating func parseAggregate(_ op: AggregateExpr.Operator) throws(QueryError) -> ParsedExpr {
        let opToken = advance()
        var grouping: [String]?
        var without = false
        if current.isKeyword("by") || current.isKeyword("without") {
            without = advance().isKeyword("without")
            grouping = try parseGroupingLabels()
        }
        guard current.isSymbol("(") else { throw unexpected("\"(\" after \(op.rawValue)\(grouping == nil ? "" : " and its grouping")") }
        let arguments = try parseArguments(of: op.rawValue)
        if current.isKeyword("by") || current.isKeyword("without") {
            guard grouping == nil else {
                throw QueryError(position: current.position, expected: "one by/without clause, before or after the arguments", found: "a second one")
            }
            without = advance().isKeyword("without")
            grouping = try parseGroupingLabels()
        }
        guard !arguments.isEmpty else {
            throw QueryError(position: opToken.position, message: "no arguments for aggregate expression provided")
        }
        let wanted = op.takesParameter ? 2 : 1
        guard arguments.count == wanted else {
            throw QueryError(position: opToken.position,
                             message: "wrong number of arguments for aggregate expression provided, expected \(wanted), got \(arguments.count)")
        }
        let expr = arguments[wanted - 1]
        if expr.type != .vector {
            addTypeError(QueryError(position: expr.start, message: "expected type instant vector in aggregation expression, got \(expr.type.documentedName)"))
        }
        let parameter = op.takesParameter ? arguments[0] : nil
        if let parameter {
            let parameterType: QueryValueType = op == .countValues ? .string : .scalar
            if parameter.type != parameterType {
                addTypeError(QueryError(position: parameter.start,
                                        message: "expected type \(parameterType.documentedName) in aggregation parameter, got \(parameter.type.documentedName)"))
            }
        }
        let aggregate = AggregateExpr(op: op, expr: expr.expr, parameter: parameter?.expr, grouping: grouping ?? [], without: without)
        return try node(.aggregate(aggregate), start: opToken.position, type: .vector, children: arguments)
    }
}
