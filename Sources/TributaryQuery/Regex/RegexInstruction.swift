/// One step of a `RegexProgram`, in the style of Thompson/Pike: consume a
/// character from a set, fork, jump, test a zero-width assertion, or match.
enum RegexInstruction: Equatable, Sendable {
    /// Consume one character in `sets[index]`.
    case characters(Int)
    /// Continue at both targets.
    case split(Int, Int)
    case jump(Int)
    case assertion(RegexAssertion)
    case match
}
