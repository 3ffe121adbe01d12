/// A lexical token of PromQL or LogQL text, with where it starts and ends
/// (offsets in Unicode scalars).
struct QueryExprToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A name: metric names (with `:`), label names, keywords, functions.
        case identifier(String)
        /// A quoted string, unescaped.
        case string(String)
        /// A plain number as written: `1`, `1.5`, `.5`, `1e-3`, `0x1f`, `1_000`.
        case number(String)
        /// A number with a unit as written: `5m`, `1h30m`, `250ms`, `1.5s`,
        /// `20MB`; what it means depends on where it stands.
        case unitNumber(String)
        case symbol(String)
        case end
    }

    let kind: Kind
    let position: Int
    /// The offset just past the token.
    let end: Int

    /// How the token reads in an error message.
    var shown: String {
        switch kind {
        case .identifier(let name): return "\"\(name)\""
        case .string(let text): return "the string \(QueryTextFormat.quoted(text))"
        case .number(let text), .unitNumber(let text): return "\"\(text)\""
        case .symbol(let symbol): return "\"\(symbol)\""
        case .end: return "the end of the query"
        }
    }

    /// The identifier's name when it is one, in lower case (keywords are
    /// case-insensitive).
    var keyword: String? {
        if case .identifier(let name) = kind { return name.lowercased() }
        return nil
    }

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }

    func isKeyword(_ word: String) -> Bool { keyword == word }
}
