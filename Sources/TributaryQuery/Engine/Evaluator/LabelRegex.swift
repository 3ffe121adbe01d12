/// The regular expression of `label_replace`: anchored at both ends, `.`
/// matching newlines, with Go's `$1`/`${name}` expansion.
///
/// Whether a value matches is decided by `CompiledRegex` (linear time,
/// RE2 syntax); only a value that matches is then run through the standard
/// library's `Regex` to read its capture groups, which `CompiledRegex` does
/// not record.
struct LabelRegex {
    private let matcher: CompiledRegex
    private let capturer: Regex<AnyRegexOutput>

    init(_ pattern: String) throws {
        matcher = try CompiledRegex(pattern, dotMatchesNewline: true)
        capturer = try Regex("(?s:" + pattern + ")")
    }

    /// `template` expanded with the groups of `value`, or nil when the
    /// expression does not match all of `value`.
    func replace(_ value: String, with template: String) -> String? {
        guard matcher.matchesWhole(value) else { return nil }
        guard template.contains("$") else { return template }
        guard let match = try? capturer.wholeMatch(in: value) else { return nil }
        let output = match.output
        func group(_ name: String) -> String {
            if let number = Int(name) {
                guard number < output.count else { return "" }
                return output[number].substring.map(String.init) ?? ""
            }
            return output[name]?.substring.map(String.init) ?? ""
        }
        var result = ""
        var characters = Substring(template)
        while let dollar = characters.firstIndex(of: "$") {
            result += characters[..<dollar]
            var rest = characters[characters.index(after: dollar)...]
            if rest.first == "$" {
                result += "$"
                characters = rest.dropFirst()
                continue
            }
            var name = ""
            if rest.first == "{" {
                guard let close = rest.firstIndex(of: "}") else {
                    result += "$"
                    characters = rest
                    continue
                }
                name = String(rest[rest.index(after: rest.startIndex)..<close])
                rest = rest[rest.index(after: close)...]
            } else {
                let word = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                name = String(word)
                rest = rest.dropFirst(word.count)
            }
            if name.isEmpty {
                result += "$"
            } else {
                result += group(name)
            }
            characters = rest
        }
        result += characters
        return result
    }
}
