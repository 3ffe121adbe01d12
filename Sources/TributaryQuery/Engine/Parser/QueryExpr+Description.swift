/// Canonical text: what `QueryExpr.parse` reads back to an equal tree (for
/// every tree the parser makes). Parentheses the tree holds are printed;
/// for hand-built trees, parentheses that precedence needs are added.
extension QueryExpr: CustomStringConvertible {
    public var description: String {
        switch self {
        case .number(let value):
            return QueryTextFormat.number(value)
        case .string(let value):
            return QueryTextFormat.quoted(value)
        case .vector(let selector):
            return selector.description
        case .matrix(let selector, let range):
            return selector.text(range: range)
        case .subquery(let subquery):
            let step = subquery.step.map(DurationText.prometheusText) ?? ""
            return Self.operand(subquery.expr, needs: Self.atomPrecedence) + "[\(DurationText.prometheusText(subquery.range)):\(step)]"
                + VectorSelector.modifiers(offset: subquery.offset, at: subquery.at)
        case .call(let function, let arguments):
            return function + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
        case .aggregate(let aggregate):
            return aggregate.description
        case .binary(let binary):
            return binary.description
        case .negate(let operand):
            if case .negate = operand { return "- " + operand.description }
            return "-" + Self.operand(operand, needs: Self.precedence(of: .binary(BinaryExpr(op: .power, lhs: .number(0), rhs: .number(0)))))
        case .parenthesized(let inner):
            return "(" + inner.description + ")"
        case .logs(let selector):
            return selector.description
        case .logRange(let range):
            return range.description
        }
    }

    /// Binding strength when printed: operators by Prometheus' precedence
    /// (×2), unary minus between `*` and `^`, and atoms above all.
    static let atomPrecedence = 14

    static func precedence(of expr: QueryExpr) -> Int {
        switch expr {
        case .binary(let binary): return 2 * QueryExprParser.precedence(binary.op)
        case .negate: return 11
        case .number(let value): return value < 0 || (value == 0 && value.sign == .minus) ? 11 : atomPrecedence
        default: return atomPrecedence
        }
    }

    /// `expr`'s text, in parentheses when it binds looser than `minimum`.
    static func operand(_ expr: QueryExpr, needs minimum: Int) -> String {
        precedence(of: expr) < minimum ? "(" + expr.description + ")" : expr.description
    }
}

extension BinaryExpr: CustomStringConvertible {
    public var description: String {
        let level = 2 * QueryExprParser.precedence(op)
        let rightAssociative = op == .power
        let left = QueryExpr.operand(lhs, needs: rightAssociative ? level + 1 : level)
        // A sign starting the right operand is always read as unary.
        let right: String
        switch rhs {
        case .negate: right = rhs.description
        case .number(let value) where value < 0: right = rhs.description
        default: right = QueryExpr.operand(rhs, needs: rightAssociative ? level : level + 1)
        }
        var text = left + " " + op.rawValue
        if returnBool { text += " bool" }
        if let matching {
            text += (matching.on ? " on " : " ignoring ") + AggregateExpr.labelList(matching.labels)
            switch matching.cardinality {
            case .manyToOne: text += " group_left " + AggregateExpr.labelList(matching.include)
            case .oneToMany: text += " group_right " + AggregateExpr.labelList(matching.include)
            case .oneToOne, .manyToMany: break
            }
        }
        return text + " " + right
    }
}

extension AggregateExpr: CustomStringConvertible {
    public var description: String {
        var text = op.rawValue
        if without || !grouping.isEmpty { text += (without ? " without " : " by ") + Self.labelList(grouping) + " " }
        let arguments = (parameter.map { [$0] } ?? []) + [expr]
        return text + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
    }

    /// `(a, b, "c.d")`.
    static func labelList(_ labels: [String]) -> String {
        "(" + labels.map(QueryTextFormat.name).joined(separator: ", ") + ")"
    }
}

extension VectorSelector: CustomStringConvertible {
    public var description: String { selectorText + Self.modifiers(offset: offset, at: at) }

    /// `name{…}[5m] offset 1m @ 100`.
    func text(range: Int64) -> String {
        selectorText + "[\(DurationText.prometheusText(range))]" + Self.modifiers(offset: offset, at: at)
    }

    /// The name and matchers, without modifiers.
    private var selectorText: String {
        var shown = matchers
        var written = name
        if let name {
            let printable = QueryTextFormat.isIdentifier(name, allowingColons: true)
                && !["inf", "nan"].contains(name.lowercased()) && !QueryExprParser.nonMetricKeywords.contains(name.lowercased())
            if printable, let index = shown.lastIndex(where: { $0.name == "__name__" && $0.op == .equal && $0.value == name }) {
                shown.remove(at: index)
            } else {
                written = nil
            }
        }
        let braces = "{" + shown.map(\.queryText).joined(separator: ", ") + "}"
        guard let written else { return braces }
        return shown.isEmpty ? written : written + braces
    }

    static func modifiers(offset: Int64, at: AtModifier?) -> String {
        var text = ""
        if offset != 0 { text += " offset " + DurationText.prometheusText(offset) }
        switch at {
        case .time(let time): text += " @ " + QueryTextFormat.seconds(time)
        case .start: text += " @ start()"
        case .end: text += " @ end()"
        case nil: break
        }
        return text
    }
}

extension LabelMatcher {
    /// `name="value"` with the value escaped for the parser (and the name
    /// quoted when it is not an identifier).
    var queryText: String {
        QueryTextFormat.name(name) + op.rawValue + QueryTextFormat.quoted(value)
    }
}
