/// Binary and unary operators, with Prometheus' precedence (lowest first):
/// `or` < `and unless` < comparisons < `+ -` < `* / % atan2` < unary
/// `+ -` < `^` (right-associative); modifiers (`offset`, `@`, ranges and
/// subqueries) bind tighter still.
extension QueryExprParser {
    /// What is written between a binary operator and its right operand.
    struct BinaryModifiers {
        var returnBool = false
        /// `on`/`ignoring` was written.
        var matchingWritten = false
        var on = false
        var labels: [String] = []
        var cardinality: VectorMatching.Cardinality = .oneToOne
        var include: [String] = []
    }

    static func precedence(_ op: BinaryExpr.Operator) -> Int {
        switch op {
        case .or: return 1
        case .and, .unless: return 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .modulo, .atan2: return 5
        case .power: return 6
        }
    }

    func binaryOperator(_ token: QueryExprToken) -> BinaryExpr.Operator? {
        switch token.kind {
        case .symbol(let symbol):
            guard let op = BinaryExpr.Operator(rawValue: symbol), op != .atan2, op != .and, op != .or, op != .unless else { return nil }
            return op
        case .identifier:
            switch token.keyword {
            case "and": return .and
            case "or": return .or
            case "unless": return .unless
            case "atan2": return .atan2
            default: return nil
            }
        default:
            return nil
        }
    }

    mutating func parseExpression(minimumPrecedence: Int = 1) throws(QueryError) -> ParsedExpr {
        try enter()
        defer { leave() }
        var lhs = try parseUnary()
        while let op = binaryOperator(current), Self.precedence(op) >= minimumPrecedence {
            let operatorPosition = advance().position
            var modifiers = try parseBinaryModifiers()
            // `^` is right-associative: its right operand may hold another `^`.
            let rhs = try parseExpression(minimumPrecedence: op == .power ? Self.precedence(op) : Self.precedence(op) + 1)
            // Loki compares two scalars to 0 or 1 (`1 > 1` is 0); Prometheus asks for `bool`.
            if language == .logql, op.isComparison, lhs.type == .scalar, rhs.type == .scalar { modifiers.returnBool = true }
            lhs = try makeBinary(op, lhs, rhs, modifiers, operatorPosition: operatorPosition)
        }
        return lhs
    }

    /// `-x`, `+x`: binds tighter than `*` and looser than `^` (`-2 ^ 2` is
    /// −4). A sign before a number literal folds into it (`-1` is the
    /// number −1), as in Prometheus; unary plus is dropped.
    mutating func parseUnary() throws(QueryError) -> ParsedExpr {
        guard current.isSymbol("-") || current.isSymbol("+") else {
            return try parsePostfix(parsePrimary())
        }
        try enter()
        defer { leave() }
        let signToken = advance()
        let operand = try parseExpression(minimumPrecedence: Self.precedence(.power))
        if operand.type != .scalar && operand.type != .vector {
            addTypeError(QueryError(position: signToken.position,
                                    message: "unary expression only allowed on expressions of type scalar or instant vector, got \"\(operand.type.documentedName)\""))
        }
        let negative = signToken.isSymbol("-")
        if case .number(let value) = operand.expr {
            return ParsedExpr(expr: .number(negative ? -value : value), start: signToken.position, type: .scalar, depth: 1)
        }
        guard negative else {
            var unchanged = operand
            unchanged.start = signToken.position
            return unchanged
        }
        return try node(.negate(operand.expr), start: signToken.position, type: operand.type, children: [operand])
    }

    /// `bool`, then `on (…)`/`ignoring (…)`, then `group_left`/`group_right` with optional labels.
    mutating func parseBinaryModifiers() throws(QueryError) -> BinaryModifiers {
        var modifiers = BinaryModifiers()
        if current.isKeyword("bool") {
            advance()
            modifiers.returnBool = true
        }
        guard current.isKeyword("on") || current.isKeyword("ignoring") else { return modifiers }
        modifiers.on = advance().isKeyword("on")
        modifiers.matchingWritten = true
        modifiers.labels = try parseGroupingLabels()
        if current.isKeyword("group_left") || current.isKeyword("group_right") {
            modifiers.cardinality = advance().isKeyword("group_left") ? .manyToOne : .oneToMany
            if current.isSymbol("(") { modifiers.include = try parseGroupingLabels() }
        }
        return modifiers
    }

    /// Builds `lhs op rhs` with Prometheus' checks, in the order its
    /// checker makes them.
    mutating func makeBinary(_ op: BinaryExpr.Operator, _ lhs: ParsedExpr, _ rhs: ParsedExpr, _ modifiers: BinaryModifiers,
                             operatorPosition: Int) throws(QueryError) -> ParsedExpr {
        let bothVectors = lhs.type == .vector && rhs.type == .vector
        if modifiers.returnBool && !op.isComparison {
            addTypeError(QueryError(position: operatorPosition, message: "bool modifier can only be used on comparison operators"))
        }
        if op.isComparison && !modifiers.returnBool && lhs.type == .scalar && rhs.type == .scalar {
            addTypeError(QueryError(position: operatorPosition, message: "comparisons between scalars must use BOOL modifier"))
        }
        if modifiers.on, let label = modifiers.labels.first(where: { modifiers.include.contains($0) }) {
            addTypeError(QueryError(position: operatorPosition, message: "label \(QueryTextFormat.quoted(label)) must not occur in ON and GROUP clause at once"))
        }
        for side in [lhs, rhs] where side.type != .scalar && side.type != .vector {
            addTypeError(QueryError(position: side.start, message: "binary expression must contain only scalar and instant vector types"))
        }
        var matching: VectorMatching?
        if !bothVectors {
            if !modifiers.labels.isEmpty {
                addTypeError(QueryError(position: lhs.start, message: "vector matching only allowed between instant vectors"))
            }
        } else if modifiers.matchingWritten {
            var cardinality = modifiers.cardinality
            if op.isSetOperator {
                if cardinality != .oneToOne {
                    addTypeError(QueryError(position: lhs.start, message: "no grouping allowed for \"\(op.rawValue)\" operation"))
                }
                cardinality = .manyToMany
            }
            matching = VectorMatching(cardinality: cardinality, on: modifiers.on, labels: modifiers.labels, include: modifiers.include)
        }
        if op.isSetOperator && (lhs.type == .scalar || rhs.type == .scalar) {
            addTypeError(QueryError(position: lhs.start, message: "set operator \"\(op.rawValue)\" not allowed in binary scalar expression"))
        }
        let type: QueryValueType = lhs.type == .scalar && rhs.type == .scalar ? .scalar : .vector
        let expr = QueryExpr.binary(BinaryExpr(op: op, lhs: lhs.expr, rhs: rhs.expr, returnBool: modifiers.returnBool, matching: matching))
        return try node(expr, start: lhs.start, type: type, children: [lhs, rhs])
    }

    /// `(a, b, "c.d")` after `by`, `without`, `on`, `ignoring`,
    /// `group_left`, `group_right`: label names (keywords are fine as
    /// names), quoted names, a trailing comma, or nothing.
    mutating func parseGroupingLabels() throws(QueryError) -> [String] {
        try expect("(", "\"(\" to start a list of label names")
        var labels: [String] = []
        while !current.isSymbol(")") {
            switch current.kind {
            case .identifier(let name):
                labels.append(name)
            case .string(let name):
                guard !name.isEmpty, !name.unicodeScalars.contains("\u{FFFD}") else {
                    throw QueryError(position: current.position, message: "invalid label name for grouping: \(QueryTextFormat.quoted(name))")
                }
                labels.append(name)
            default:
                throw unexpected("a label name or \")\" in the list of label names")
            }
            advance()
            if current.isSymbol(",") {
                advance()
            } else if !current.isSymbol(")") {
                throw unexpected("\",\" or \")\" in the list of label names")
            }
        }
        advance()
        return labels
    }
}
