/// Recursive-descent parser for PromQL and LogQL over `QueryExprLexer`
/// tokens, producing the shared `QueryExpr` tree.
///
/// Like Prometheus, it reports the first syntax error if there is one, and
/// otherwise the first type error (types are checked as nodes are built,
/// and the error that Prometheus' post-order check would meet first wins).
/// Nesting is limited to `maximumDepth` so that no input, however
/// nested or long a chain of operators, can exhaust the stack of the
/// parser or of anything that walks the tree afterwards.
struct QueryExprParser {
    static let maximumDepth = 256

    let language: QueryLanguage
    let tokens: [QueryExprToken]
    var index = 0
    private var recursion = 0
    /// Type errors found so far with the order Prometheus' checker would
    /// report them in; the smallest order wins once the text has parsed.
    private var typeErrors: [(order: Int, error: QueryError)] = []
    private var nextTypeErrorOrder = 0

    init(_ text: String, language: QueryLanguage) throws(QueryError) {
        self.language = language
        tokens = try QueryExprLexer.tokens(text)
    }

    // MARK: Tokens

    var current: QueryExprToken { tokens[index] }

    func peek(_ offset: Int = 1) -> QueryExprToken {
        tokens[min(index + offset, tokens.count - 1)]
    }

    @discardableResult
    mutating func advance() -> QueryExprToken {
        defer { index = min(index + 1, tokens.count - 1) }
        return tokens[index]
    }

    /// An error at the current token: what was expected, what it is.
    func unexpected(_ expected: String) -> QueryError {
        QueryError(position: current.position, expected: expected, found: current.shown)
    }

    @discardableResult
    mutating func expect(_ symbol: String, _ expected: String) throws(QueryError) -> QueryExprToken {
        guard current.isSymbol(symbol) else { throw unexpected(expected) }
        return advance()
    }

    // MARK: Depth

    /// Counts one level of recursion; pair with `leave()`.
    mutating func enter() throws(QueryError) {
        recursion += 1
        guard recursion <= Self.maximumDepth else {
            throw QueryError(position: current.position, expected: "an expression nested at most \(Self.maximumDepth) levels deep", found: "deeper nesting")
        }
    }

    mutating func leave() { recursion -= 1 }

    /// A node over `children`, refused when the tree would get too deep.
    func node(_ expr: QueryExpr, start: Int, type: QueryValueType, children: [ParsedExpr]) throws(QueryError) -> ParsedExpr {
        let depth = 1 + children.reduce(0) { max($0, $1.depth) }
        guard depth <= Self.maximumDepth else {
            throw QueryError(position: start, expected: "an expression nested at most \(Self.maximumDepth) levels deep (operators included)", found: "deeper nesting")
        }
        return ParsedExpr(expr: expr, start: start, type: type, depth: depth)
    }

    // MARK: Type errors

    /// Reserves the place of a check Prometheus makes before checking a
    /// node's children (a call's argument count).
    mutating func reserveTypeErrorOrder() -> Int {
        defer { nextTypeErrorOrder += 1 }
        return nextTypeErrorOrder
    }

    mutating func addTypeError(_ error: QueryError, order: Int? = nil) {
        typeErrors.append((order ?? reserveTypeErrorOrder(), error))
    }

    /// Withdraws a type error recorded for a node that turned out to be
    /// exempt (the label selector argument of `info`).
    mutating func withdrawTypeError(at position: Int, message: String) {
        typeErrors.removeAll { $0.error.position == position && $0.error.message == message }
    }

    // MARK: The query

    mutating func parseQuery() throws(QueryError) -> QueryExpr {
        guard current.kind != .end else {
            throw QueryError(position: 0, message: "no expression found in input")
        }
        let parsed = try parseExpression()
        guard current.kind == .end else {
            throw unexpected(parsed.type == .logs ? "a pipeline stage (|=, !=, |~, !~, | json, | logfmt, | label filter …) or the end of the query"
                                                   : "an operator or the end of the query")
        }
        if let first = typeErrors.min(by: { $0.order < $1.order }) { throw first.error }
        return parsed.expr
    }
}
