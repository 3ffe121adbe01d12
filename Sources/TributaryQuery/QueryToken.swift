/// A lexical token of the query language, with where it starts.
struct QueryToken: Equatable {
    enum Kind: Equatable {
        case identifier(String)
        case string(String)
        case number(Double)
        /// `5m`, `1h30m`, `250ms`, in milliseconds.
        case duration(Int64)
        case symbol(String)
        case end
    }

    let kind: Kind
    let position: Int

    /// How the token reads in an error message.
    var shown: String {
        switch kind {
        case .identifier(let name): return "\"\(name)\""
        case .string(let text): return "the string \"\(text)\""
        case .number(let value): return "the number \(value)"
        case .duration: return "a duration"
        case .symbol(let symbol): return "\"\(symbol)\""
        case .end: return "the end of the query"
        }
    }
}
