/// Zero-width tests: `^ $` (per line with `(?m)`), `\A \z`, `\b \B`.
enum RegexAssertion: Equatable, Sendable {
    case textStart, textEnd, lineStart, lineEnd, wordBoundary, notWordBoundary

    /// Whether the test holds between `previous` and `next` (nil: the text's edge).
    func holds(previous: UInt32?, next: UInt32?) -> Bool {
        switch self {
        case .textStart: return previous == nil
        case .textEnd: return next == nil
        case .lineStart: return previous == nil || previous == 10
        case .lineEnd: return next == nil || next == 10
        case .wordBoundary: return Self.isWord(previous) != Self.isWord(next)
        case .notWordBoundary: return Self.isWord(previous) == Self.isWord(next)
        }
    }

    private static func isWord(_ value: UInt32?) -> Bool {
        guard let value else { return false }
        return RegexCharacterSet.word.contains(value)
    }
}
