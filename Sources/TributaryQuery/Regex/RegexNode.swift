/// The parsed form of a pattern, before it is compiled to a `RegexProgram`.
/// Capturing groups are kept (`capture`) so that the Pike VM can report
/// submatches; matching alone treats them as their contents.
indirect enum RegexNode: Equatable, Sendable {
    /// Matches the empty string.
    case empty
    /// One character from the set (a literal is a set of one).
    case characters(RegexCharacterSet)
    /// A zero-width test between two characters.
    case assertion(RegexAssertion)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `min` to `max` (nil: unbounded) times; `greedy` is false for the lazy
    /// forms (`*?`, `+?`, …), which only changes which submatch is reported.
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
    /// `(…)` or `(?P<name>…)`: group number `index` (1-based, in the order
    /// of the opening parentheses, as RE2 numbers them).
    case capture(RegexNode, index: Int)
}
