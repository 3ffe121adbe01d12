/// The `@` modifier: evaluate a selector or subquery at a fixed time.
public enum AtModifier: Sendable, Equatable {
    /// `@ 1700000000.5` (ns since the epoch).
    case time(Int64)
    /// `@ start()`: the query's start.
    case start
    /// `@ end()`: the query's end.
    case end
}
