/// A line as its template plus what varies in it, from which the line is
/// rebuilt byte for byte: the variables in template order, and the
/// whitespace between tokens when it is not the usual single space.
///
/// A line `sep₀ tok₁ sep₁ … tokₙ sepₙ` (tokens split at ASCII whitespace)
/// rebuilds as the template's tokens with each variable's prefix followed
/// by its value, joined by the separators; `separators == nil` means
/// `sep₀` and `sepₙ` are empty and every other one is one space.
public struct EncodedLine: Equatable, Sendable {
    public let template: LogTemplate
    /// The variable values (after each variable's literal prefix).
    public let variables: [[UInt8]]
    /// Where each variable value lies in the original line.
    public let variableRanges: [Range<Int>]
    /// All `n + 1` separators, or nil when they are canonical.
    public let separators: [[UInt8]]?

    public init(template: LogTemplate, variables: [[UInt8]], variableRanges: [Range<Int>], separators: [[UInt8]]?) {
        self.template = template
        self.variables = variables
        self.variableRanges = variableRanges
        self.separators = separators
    }

    /// The original line's bytes.
    public func rebuild() -> [UInt8] {
        var out: [UInt8] = []
        var nextVariable = 0
        let tokens = template.tokens
        if let separators, let first = separators.first { out.append(contentsOf: first) }
        for (index, token) in tokens.enumerated() {
            if index > 0 {
                if let separators, index < separators.count { out.append(contentsOf: separators[index]) } else { out.append(0x20) }
            }
            out.append(contentsOf: token.bytes)
            if token.isVariable, nextVariable < variables.count {
                out.append(contentsOf: variables[nextVariable])
                nextVariable += 1
            }
        }
        if let separators, !tokens.isEmpty, let last = separators.last, separators.count == tokens.count + 1 {
            out.append(contentsOf: last)
        }
        return out
    }
}
