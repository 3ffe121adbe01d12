/// One step of a `RegexProgram`, in the style of Thompson/Pike: consume a
/// character from a set, fork, jump, test a zero-width assertion, or match.
enum RegexInstruction: Equatable, Sendable {
    /// Consume one character in `sets[index]`.
    case characters(Int)
    /// Continue at both targets.
    case split(Int, Int)
    case jump(Int)
    case assertion(RegexAssertion)
    /// Record the current position in capture slot `n` (group n/2's start
    /// when even, its end when odd); consumes nothing.
    case save(Int)
    case match
}
