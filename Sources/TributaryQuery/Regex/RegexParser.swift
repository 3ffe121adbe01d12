/// Parses the RE2 syntax that Prometheus and Loki users write into a
/// `RegexNode`: literals, `.`, classes (`[a-z]`, `[^…]`, `[[:alpha:]]`,
/// `\d \w \s` and their negations), anchors `^ $ \A \z \b \B`, groups
/// `(…)`, `(?:…)`, `(?P<name>…)`, flags `(?i)`, `(?s)`, `(?m)` and
/// `(?i:…)`, alternation, `* + ? {m} {m,} {m,n}` (lazy forms too).
///
/// What RE2 refuses is refused here with the position and what to do
/// instead: backreferences, lookaround, atomic groups, possessive or
/// nested quantifiers, and repetition counts above 1,000.
struct RegexParser {
    struct Flags {
        var caseInsensitive = false
        var dotMatchesNewline = false
        var multiline = false
    }

    static let maxRepeat = 1_000

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var flags: Flags
    /// The name of each capturing group in order (nil for `(…)`): group
    /// `i` is `captureNames[i - 1]`.
    private(set) var captureNames: [String?] = []

    init(_ pattern: String, flags: Flags = Flags()) {
        scalars = Array(pattern.unicodeScalars)
        self.flags = flags
    }

    static func parse(_ pattern: String, flags: Flags = Flags()) throws(RegexSyntaxError) -> RegexNode {
        try parseWithCaptures(pattern, flags: flags).node
    }

    /// The tree and the names of its capturing groups (nil for unnamed ones).
    static func parseWithCaptures(_ pattern: String, flags: Flags = Flags()) throws(RegexSyntaxError) -> (node: RegexNode, captureNames: [String?]) {
        var parser = RegexParser(pattern, flags: flags)
        let node = try parser.parseAlternation()
        if parser.index < parser.scalars.count {
            throw RegexSyntaxError(position: parser.index, message: "unmatched \")\": remove it or escape it as \\)")
        }
        return (node, parser.captureNames)
    }

    private var atEnd: Bool { index >= scalars.count }
    private var current: Unicode.Scalar? { atEnd ? nil : scalars[index] }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private func error(_ message: String, at position: Int? = nil) -> RegexSyntaxError {
        RegexSyntaxError(position: position ?? index, message: message)
    }

    // MARK: Structure

    private mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try parseConcatenation()]
        while current == "|" {
            index += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let scalar = current, scalar != "|", scalar != ")" {
            // `(?i)` changes the flags for the rest of the enclosing group.
            if scalar == "(", peek(1) == "?", let flagsEnd = flagGroupEnd(from: index + 2), scalars[flagsEnd] == ")" {
                try applyFlags(from: index + 2, to: flagsEnd, to: &flags)
                index = flagsEnd + 1
                continue
            }
            let atomStart = index
            var atom = try parseAtom()
            atom = try parseQuantifiers(atom, atomStart: atomStart)
            items.append(atom)
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    private mutating func parseQuantifiers(_ atom: RegexNode, atomStart: Int) throws(RegexSyntaxError) -> RegexNode {
        var node = atom
        var quantified = false
        while let scalar = current {
            let start = index
            let bounds: (Int, Int?)
            switch scalar {
            case "*": bounds = (0, nil); index += 1
            case "+": bounds = (1, nil); index += 1
            case "?": bounds = (0, 1); index += 1
            case "{":
                guard let counted = try parseCount() else { return node }
                bounds = counted
            default: return node
            }
            if quantified {
                throw error("nested repetition operator \"\(scalar)\": RE2 syntax has no possessive or repeated quantifiers; put the repeated part in a group: (?:x+)\(scalar)", at: start)
            }
            if case .assertion = atom {
                throw error("missing argument to repetition operator: an anchor cannot be repeated", at: start)
            }
            if atomStart == start {
                throw error("missing argument to repetition operator \"\(scalar)\": escape it (\\\(scalar)) to match it literally", at: start)
            }
            quantified = true
            var greedy = true
            if current == "?" {
                // Lazy: the same yes/no answer, a shorter submatch.
                index += 1
                greedy = false
            }
            node = .repetition(node, min: bounds.0, max: bounds.1, greedy: greedy)
        }
        return node
    }

    /// `{m}`, `{m,}` or `{m,n}`; nil (and nothing consumed) when the text is
    /// not a count, in which case `{` is a literal, as in RE2.
    private mutating func parseCount() throws(RegexSyntaxError) -> (Int, Int?)? {
        let start = index
        var cursor = index + 1
        func number() -> Int?? {
            var value = 0
            var digits = 0
            while cursor < scalars.count, let digit = Int(String(scalars[cursor])), scalars[cursor].isASCII {
                value = min(value * 10 + digit, 1_000_000)
                digits += 1
                cursor += 1
            }
            return digits == 0 ? .some(nil) : .some(value)
        }
        guard let minimum = number() ?? nil else { return nil }
        var maximum: Int? = minimum
        if cursor < scalars.count, scalars[cursor] == "," {
            cursor += 1
            maximum = number() ?? nil
        }
        guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
        index = cursor + 1
        if minimum > Self.maxRepeat || (maximum ?? 0) > Self.maxRepeat {
            throw error("repetition count above \(Self.maxRepeat) (RE2's limit): use a smaller count or + / *", at: start)
        }
        if let maximum, maximum < minimum {
            throw error("invalid repetition {\(minimum),\(maximum)}: the maximum is below the minimum", at: start)
        }
        return (minimum, maximum)
    }

    private mutating func parseAtom() throws(RegexSyntaxError) -> RegexNode {
        let start = index
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "(": return try parseGroup(start: start)
        case "[": return .characters(try parseClass(start: start))
        case ".": return .characters(flags.dotMatchesNewline ? .all : .allButNewline)
        case "^": return .assertion(flags.multiline ? .lineStart : .textStart)
        case "$": return .assertion(flags.multiline ? .lineEnd : .textEnd)
        case "\\": return try parseEscape(start: start, inClass: false)
        case "*", "+", "?":
            throw error("missing argument to repetition operator \"\(scalar)\": escape it (\\\(scalar)) to match it literally", at: start)
        default: return .characters(literal(scalar.value))
        }
    }

    private func literal(_ value: UInt32) -> RegexCharacterSet {
        let set = RegexCharacterSet(scalar: value)
        return flags.caseInsensitive ? set.caseFolded() : set
    }

    /// The index of the `)` or `:` ending the flags of a `(?flags` group
    /// whose flags start at `start`, when they are flags only.
    private func flagGroupEnd(from start: Int) -> Int? {
        var cursor = start
        while cursor < scalars.count {
            let scalar = scalars[cursor]
            if scalar == ")" || scalar == ":" { return cursor }
            guard "ismU-".unicodeScalars.contains(scalar) else { return nil }
            cursor += 1
        }
        return nil
    }

    private func applyFlags(from start: Int, to end: Int, to flags: inout Flags) throws(RegexSyntaxError) {
        var on = true
        for position in start..<end {
            switch scalars[position] {
            case "-": on = false
            case "i": flags.caseInsensitive = on
            case "s": flags.dotMatchesNewline = on
            case "m": flags.multiline = on
            default: throw error("unsupported flag \"\(scalars[position])\": use i, s or m", at: position)
            }
        }
    }

    private mutating func parseGroup(start: Int) throws(RegexSyntaxError) -> RegexNode {
        let saved = flags
        defer { flags = saved }
        var captureName: String? = nil
        var captures = current != "?"
        if current == "?" {
            switch peek(1) {
            case "=", "!":
                throw error("lookahead (?\(peek(1)!)…) is not supported (RE2 syntax): match the text itself, or use a second line filter (|= or !=)", at: start)
            case "<" where peek(2) == "=" || peek(2) == "!":
                throw error("lookbehind (?<\(peek(2)!)…) is not supported (RE2 syntax): match the text itself, or use a second line filter", at: start)
            case ">":
                throw error("atomic groups (?>…) are not supported (RE2 syntax): use (?:…)", at: start)
            case "P", "<":
                // Named group: (?P<name>…) or (?<name>…); the name is not used.
                var cursor = index + (peek(1) == "P" ? 2 : 1)
                guard cursor < scalars.count, scalars[cursor] == "<" else {
                    throw error("invalid named group: write (?P<name>…)", at: start)
                }
                cursor += 1
                let nameStart = cursor
                while cursor < scalars.count, scalars[cursor] != ">" {
                    guard scalars[cursor] == "_" || scalars[cursor].properties.isAlphabetic || ("0"..."9").contains(scalars[cursor]) else {
                        throw error("invalid character in a group name", at: cursor)
                    }
                    cursor += 1
                }
                guard cursor < scalars.count, cursor > nameStart else { throw error("invalid named group: write (?P<name>…)", at: start) }
                captureName = String(String.UnicodeScalarView(scalars[nameStart..<cursor]))
                captures = true
                index = cursor + 1
            default:
                guard let end = flagGroupEnd(from: index + 1), scalars[end] == ":" else {
                    throw error("unknown group syntax (?\(peek(1).map(String.init) ?? "")…): use (…), (?:…), (?P<name>…) or flags such as (?i)", at: start)
                }
                try applyFlags(from: index + 1, to: end, to: &flags)
                index = end + 1
            }
        }
        var groupIndex = 0
        if captures {
            captureNames.append(captureName)
            groupIndex = captureNames.count
        }
        let inner = try parseAlternation()
        guard current == ")" else { throw error("missing \")\" for the group opened here", at: start) }
        index += 1
        return captures ? .capture(inner, index: groupIndex) : inner
    }

    // MARK: Escapes and classes

    /// `\d` and friends, escaped punctuation, `\n \t \r \f \v \a`, `\xHH`,
    /// `\x{HHHH}`; outside classes also `\A \z \b \B`.
    private mutating func parseEscape(start: Int, inClass: Bool) throws(RegexSyntaxError) -> RegexNode {
        guard let scalar = current else { throw error("trailing backslash at the end of the pattern: escape it as \\\\", at: start) }
        index += 1
        switch scalar {
        case "d": return .characters(.digit)
        case "D": return .characters(RegexCharacterSet.digit.inverted())
        case "w": return .characters(.word)
        case "W": return .characters(RegexCharacterSet.word.inverted())
        case "s": return .characters(.space)
        case "S": return .characters(RegexCharacterSet.space.inverted())
        case "n": return .characters(RegexCharacterSet(scalar: 10))
        case "t": return .characters(RegexCharacterSet(scalar: 9))
        case "r": return .characters(RegexCharacterSet(scalar: 13))
        case "f": return .characters(RegexCharacterSet(scalar: 12))
        case "v": return .characters(RegexCharacterSet(scalar: 11))
        case "a": return .characters(RegexCharacterSet(scalar: 7))
        case "0": return .characters(RegexCharacterSet(scalar: 0))
        case "x":
            let value = try parseHex(start: start)
            return .characters(inClass ? RegexCharacterSet(scalar: value) : literal(value))
        case "A" where !inClass: return .assertion(.textStart)
        case "z" where !inClass: return .assertion(.textEnd)
        case "b" where !inClass: return .assertion(.wordBoundary)
        case "B" where !inClass: return .assertion(.notWordBoundary)
        case "1"..."9":
            throw error("backreferences (\\\(scalar)) are not supported (RE2 syntax): match the repeated text explicitly", at: start)
        case "p", "P":
            throw error("Unicode classes (\\\(scalar){…}) are not supported: use a class such as [a-zA-Z] or \\w", at: start)
        default:
            guard scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else {
                throw error("unknown escape \\\(scalar): RE2 knows \\d \\w \\s \\b \\n \\t \\x{…} and escaped punctuation", at: start)
            }
            return .characters(inClass ? RegexCharacterSet(scalar: scalar.value) : literal(scalar.value))
        }
    }

    private mutating func parseHex(start: Int) throws(RegexSyntaxError) -> UInt32 {
        var digits = ""
        if current == "{" {
            index += 1
            while let scalar = current, scalar != "}" { digits.unicodeScalars.append(scalar); index += 1 }
            guard current == "}" else { throw error("missing } in \\x{…}", at: start) }
            index += 1
        } else {
            for _ in 0..<2 {
                guard let scalar = current else { break }
                digits.unicodeScalars.append(scalar)
                index += 1
            }
        }
        guard !digits.isEmpty, digits.count <= 8, let value = UInt32(digits, radix: 16), value <= RegexCharacterSet.maxScalar else {
            throw error("invalid hexadecimal escape: write \\xHH or \\x{HHHH}", at: start)
        }
        return value
    }

    private static let posixClasses: [String: RegexCharacterSet] = [
        "alpha": RegexCharacterSet([65...90, 97...122]), "digit": .digit, "alnum": RegexCharacterSet([48...57, 65...90, 97...122]),
        "upper": RegexCharacterSet([65...90]), "lower": RegexCharacterSet([97...122]), "space": RegexCharacterSet([9...13, 32...32]),
        "xdigit": RegexCharacterSet([48...57, 65...70, 97...102]), "word": .word, "blank": RegexCharacterSet([9...9, 32...32]),
        "punct": RegexCharacterSet([33...47, 58...64, 91...96, 123...126]), "cntrl": RegexCharacterSet([0...31, 127...127]),
        "print": RegexCharacterSet([32...126]), "graph": RegexCharacterSet([33...126]), "ascii": RegexCharacterSet([0...127]),
    ]

    /// `[…]` after the `[`.
    private mutating func parseClass(start: Int) throws(RegexSyntaxError) -> RegexCharacterSet {
        var negated = false
        if current == "^" {
            negated = true
            index += 1
        }
        var set = RegexCharacterSet()
        var first = true
        while true {
            guard let scalar = current else { throw error("missing \"]\" for the class opened here", at: start) }
            if scalar == "]" && !first { index += 1; break }
            first = false
            if scalar == "[", peek(1) == ":" {
                if let close = (index + 2..<scalars.count).first(where: { scalars[$0] == ":" }), close + 1 < scalars.count, scalars[close + 1] == "]" {
                    var name = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
                    let negatedPOSIX = name.hasPrefix("^")
                    if negatedPOSIX { name.removeFirst() }
                    guard let posix = Self.posixClasses[name] else { throw error("unknown class [:\(name):]", at: index) }
                    set.formUnion(negatedPOSIX ? posix.inverted() : posix)
                    index = close + 2
                    continue
                }
            }
            let itemStart = index
            let low = try classItem()
            guard case .scalar(let lowValue) = low else {
                if case .set(let members) = low { set.formUnion(members) }
                continue
            }
            if current == "-", let next = peek(1), next != "]" {
                index += 1
                let high = try classItem()
                guard case .scalar(let highValue) = high else {
                    throw error("invalid range in a class: a range needs a character at each end", at: itemStart)
                }
                guard lowValue <= highValue else {
                    throw error("invalid class range: \(Unicode.Scalar(lowValue).map(String.init) ?? "?") comes after \(Unicode.Scalar(highValue).map(String.init) ?? "?")", at: itemStart)
                }
                set.insert(lowValue...highValue)
            } else {
                set.insert(lowValue...lowValue)
            }
        }
        if flags.caseInsensitive { set = set.caseFolded() }
        return negated ? set.inverted() : set
    }

    private enum ClassItem {
        case scalar(UInt32)
        case set(RegexCharacterSet)
    }

    private mutating func classItem() throws(RegexSyntaxError) -> ClassItem {
        let start = index
        let scalar = scalars[index]
        index += 1
        guard scalar == "\\" else { return .scalar(scalar.value) }
        guard case .characters(let set) = try parseEscape(start: start, inClass: true) else {
            throw error("an anchor cannot be used in a class", at: start)
        }
        if set.ranges.count == 1, set.ranges[0].count == 1 { return .scalar(set.ranges[0].lowerBound) }
        return .set(set)
    }
}
