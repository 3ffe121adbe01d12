extension QueryExpr {
    /// Parses PromQL or LogQL text into an expression tree, type-checked as
    /// Prometheus (and Loki) do at parse time.
    ///
    /// - Throws: `QueryError` with the zero-based character position of the
    ///   first problem: a syntax error, or else the first type error.
    public static func parse(_ text: String, language: QueryLanguage = .auto) throws(QueryError) -> QueryExpr {
        var parser = try QueryExprParser(text, language: language)
        return try parser.parseQuery()
    }
}
