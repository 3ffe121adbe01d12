/// The parsed form of a pattern, before it is compiled to a `RegexProgram`.
/// Groups do not capture: the engine only answers whether a text matches.
indirect enum RegexNode: Equatable, Sendable {
    /// Matches the empty string.
    case empty
    /// One character from the set (a literal is a set of one).
    case characters(RegexCharacterSet)
    /// A zero-width test between two characters.
    case assertion(RegexAssertion)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `min` to `max` (nil: unbounded) times.
    case repetition(RegexNode, min: Int, max: Int?)
}
