/// The subset of Go's `text/template` that Prometheus rule files use in
/// annotations and labels, parsed once when the rule file is read (so an
/// unsupported construct is an error of `trib check-config`, not a broken
/// notification) and rendered at each evaluation.
///
/// Supported: text, and actions `{{ PIPELINE }}` where a pipeline is
/// commands joined by `|`, each command an operand or a function with
/// arguments, the previous command's result passed as the last argument.
/// Operands: `$labels`, `$labels.NAME`, `$value`, `$externalLabels`,
/// `$externalLabels.NAME` (also `.Labels.NAME`, `.Value`,
/// `.ExternalLabels.NAME`), `"strings"` and numbers. Functions:
/// `humanize`, `humanize1024`, `humanizePercentage`, `humanizeDuration`,
/// `printf`, `index`, `toUpper`, `toLower`, `title`. `{{-` and `-}}` trim
/// the whitespace next to them. Everything else (`if`, `range`, `query`,
/// variables of one's own, comments) is refused with `TemplateError`.
public struct AlertTemplate: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case text(String)
        case action([Command])
    }

    /// One command of a pipeline: an operand alone, or a function call.
    struct Command: Sendable, Equatable {
        var function: Function?
        var arguments: [Operand]
    }

    enum Operand: Sendable, Equatable {
        case labels(String?)
        case externalLabels(String?)
        case value
        case string(String)
        case number(Double)
    }

    enum Function: String, Sendable, CaseIterable {
        case humanize, humanize1024, humanizePercentage, humanizeDuration, printf, index, toUpper, toLower, title
    }

    /// The text as written.
    public let source: String
    let parts: [Part]

    /// Parses `source`; throws `TemplateError` for what is not supported.
    public init(_ source: String) throws(TemplateError) {
        self.source = source
        parts = try Self.parse(Array(source))
    }

    /// Whether the text has any action (a plain string renders as itself).
    public var isConstant: Bool { !parts.contains { if case .action = $0 { true } else { false } } }

    private static func parse(_ characters: [Character]) throws(TemplateError) -> [Part] {
        var parts: [Part] = []
        var text = ""
        var index = 0
        while index < characters.count {
            if characters[index] == "{", index + 1 < characters.count, characters[index + 1] == "{" {
                let start = index
                index += 2
                var trimLeft = false
                if index + 1 < characters.count, characters[index] == "-", characters[index + 1] == " " {
                    trimLeft = true
                    index += 1
                }
                guard let close = findClose(characters, from: index) else {
                    throw TemplateError("unclosed action: \"{{\" without \"}}\"", offset: start)
                }
                var end = close
                var trimRight = false
                if end > index, characters[end - 1] == "-", end - 2 >= index, characters[end - 2] == " " {
                    trimRight = true
                    end -= 1
                }
                if trimLeft {
                    while let last = text.last, last.isWhitespace { text.removeLast() }
                }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.action(try parsePipeline(Array(characters[index..<end]), offset: index)))
                index = close + 2
                if trimRight {
                    while index < characters.count, characters[index].isWhitespace { index += 1 }
                }
            } else {
                text.append(characters[index])
                index += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }

    /// The index of the `}}` closing an action, skipping quoted strings.
    private static func findClose(_ characters: [Character], from start: Int) -> Int? {
        var index = start
        var quoted = false
        while index < characters.count {
            let character = characters[index]
            if quoted {
                if character == "\\" { index += 1 } else if character == "\"" { quoted = false }
            } else if character == "\"" {
                quoted = true
            } else if character == "}", index + 1 < characters.count, characters[index + 1] == "}" {
                return index
            }
            index += 1
        }
        return nil
    }

    private static func parsePipeline(_ characters: [Character], offset: Int) throws(TemplateError) -> [Command] {
        let words = try tokenize(characters, offset: offset)
        guard !words.isEmpty else { throw TemplateError("empty action {{ }}", offset: offset) }
        var commands: [Command] = []
        var current: [(String, Int)] = []
        for word in words + [("|", offset + characters.count)] {
            if word.0 == "|" {
                guard !current.isEmpty else { throw TemplateError("a pipe \"|\" needs a command on each side", offset: word.1) }
                commands.append(try command(current, piped: !commands.isEmpty))
                current = []
            } else {
                current.append(word)
            }
        }
        return commands
    }

    private static func command(_ words: [(String, Int)], piped: Bool) throws(TemplateError) -> Command {
        let (head, position) = words[0]
        if controlWords.contains(head) {
            throw TemplateError("control structure \"\(head)\" is not supported; \(TemplateError.supported)", offset: position)
        }
        if let function = Function(rawValue: head) {
            var arguments: [Operand] = []
            for (word, at) in words.dropFirst() { arguments.append(try operand(word, at: at)) }
            let count = arguments.count + (piped ? 1 : 0)
            switch function {
            case .printf:
                guard count >= 1, piped || { if case .string = arguments[0] { true } else { false } }() else {
                    throw TemplateError("printf needs a format string first, e.g. printf \"%.2f\" $value", offset: position)
                }
            case .index:
                guard count == 2 else { throw TemplateError("index takes a map and a key, e.g. index $labels \"instance\"", offset: position) }
            default:
                guard count == 1 else { throw TemplateError("\(head) takes one argument (or a value piped into it)", offset: position) }
            }
            return Command(function: function, arguments: arguments)
        }
        guard words.count == 1 else {
            if head.first?.isLetter == true {
                throw TemplateError("unsupported function \"\(head)\"; \(TemplateError.supported)", offset: position)
            }
            throw TemplateError("\"\(head)\" is not a function and cannot take arguments", offset: position)
        }
        guard !piped else { throw TemplateError("only a function can follow a pipe \"|\", found \"\(head)\"", offset: position) }
        return Command(function: nil, arguments: [try operand(head, at: position)])
    }

    private static let controlWords: Set<String> = ["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"]

    private static func operand(_ word: String, at position: Int) throws(TemplateError) -> Operand {
        if word.hasPrefix("\"") { return .string(String(word.dropFirst().dropLast())) }
        if let number = Double(word) { return .number(number) }
        let path = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let root = path[0].isEmpty && path.count > 1 ? "." + path[1] : path[0]
        let rest = path[0].isEmpty ? Array(path.dropFirst(2)) : Array(path.dropFirst())
        func name() throws(TemplateError) -> String? {
            guard rest.count <= 1 else { throw TemplateError("\"\(word)\": one label name after the map, e.g. $labels.instance", offset: position) }
            if let label = rest.first, label.isEmpty || !label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                throw TemplateError("\"\(word)\": \"\(label)\" is not a label name", offset: position)
            }
            return rest.first
        }
        switch root {
        case "$labels", ".Labels": return .labels(try name())
        case "$externalLabels", ".ExternalLabels": return .externalLabels(try name())
        case "$value", ".Value":
            guard rest.isEmpty else { throw TemplateError("\"\(word)\": $value is a number and has no fields", offset: position) }
            return .value
        default:
            if word.first?.isLetter == true {
                throw TemplateError("unsupported function \"\(word)\"; \(TemplateError.supported)", offset: position)
            }
            throw TemplateError("unknown value \"\(word)\"; \(TemplateError.supported)", offset: position)
        }
    }

    /// Splits an action into words: quoted strings (Go escapes `\"`, `\\`,
    /// `\n`, `\t`), `|`, and runs of other non-space characters.
    private static func tokenize(_ characters: [Character], offset: Int) throws(TemplateError) -> [(String, Int)] {
        var words: [(String, Int)] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character == "|" {
                words.append(("|", offset + index))
                index += 1
            } else if character == "\"" {
                let start = index
                var text = "\""
                index += 1
                var closed = false
                while index < characters.count {
                    let next = characters[index]
                    if next == "\\", index + 1 < characters.count {
                        switch characters[index + 1] {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "\"": text.append("\"")
                        case "\\": text.append("\\")
                        default: throw TemplateError("unsupported escape \\\(characters[index + 1]) in a string", offset: offset + index)
                        }
                        index += 2
                        continue
                    }
                    index += 1
                    if next == "\"" { closed = true; break }
                    text.append(next)
                }
                guard closed else { throw TemplateError("unterminated string", offset: offset + start) }
                words.append((text + "\"", offset + start))
            } else if character == "(" || character == ")" || character == "`" || character == ":" || character == "=" {
                throw TemplateError("\"\(character)\" is not supported (no parentheses, raw strings or variables); \(TemplateError.supported)",
                                    offset: offset + index)
            } else if character == "/" , index + 1 < characters.count, characters[index + 1] == "*" {
                throw TemplateError("comments are not supported", offset: offset + index)
            } else {
                let start = index
                var word = ""
                while index < characters.count, !characters[index].isWhitespace, characters[index] != "|", characters[index] != "\"" {
                    word.append(characters[index])
                    index += 1
                }
                words.append((word, offset + start))
            }
        }
        return words
    }
}
