/// Parses the Go text/template subset LogQL templates use: text and
/// `{{ … }}` actions (`{{-`/`-}}` trim spaces, `{{/* comments */}}`),
/// pipelines of functions with `|`, `.label` fields, string (`"…"`,
/// `` `…` ``), number and boolean literals, parentheses, and
/// `if`/`else if`/`else`/`with`/`end`. Variables, `range` and `define` are
/// refused with a message.
struct LineTemplateParser {
    struct Failure: Error {
        var message: String
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0

    private init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func parse(_ text: String) throws(Failure) -> [TemplateNode] {
        var parser = LineTemplateParser(text)
        let (nodes, terminator) = try parser.parseList()
        if let terminator { throw Failure(message: "unexpected {{\(terminator)}}") }
        return nodes
    }

    /// Nodes until the end of the text or an `else`/`end` action (returned).
    private mutating func parseList() throws(Failure) -> ([TemplateNode], String?) {
        var nodes: [TemplateNode] = []
        var text = ""
        while index < scalars.count {
            if scalars[index] == "{", index + 1 < scalars.count, scalars[index + 1] == "{" {
                index += 2
                var trimLeft = false
                if index + 1 < scalars.count, scalars[index] == "-", scalars[index + 1].properties.isWhitespace {
                    trimLeft = true
                    index += 1
                }
                if trimLeft { text = String(String.UnicodeScalarView(text.unicodeScalars.reversed().drop { $0.properties.isWhitespace }.reversed())) }
                if !text.isEmpty { nodes.append(.text(text)) }
                text = ""
                skipSpaces()
                if index + 1 < scalars.count, scalars[index] == "/", scalars[index + 1] == "*" {
                    try skipComment()
                    continue
                }
                let keyword = peekWord()
                switch keyword {
                case "end":
                    index += 3
                    try closeAction()
                    return (nodes, "end")
                case "else":
                    index += 4
                    skipSpaces()
                    if peekWord() == "if" {
                        index += 2
                        return (nodes, "else if")
                    }
                    try closeAction()
                    return (nodes, "else")
                case "if", "with":
                    index += keyword.count
                    nodes.append(try parseBlock(isWith: keyword == "with"))
                case "range", "define", "template", "block", "break", "continue":
                    throw Failure(message: "{{\(keyword)}} is not supported in LogQL templates")
                default:
                    let pipeline = try parsePipeline()
                    try closeAction()
                    nodes.append(.action(pipeline))
                }
            } else {
                text.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        if !text.isEmpty { nodes.append(.text(text)) }
        return (nodes, nil)
    }

    /// After `if`/`with`: condition, body, optional else (or else if), end.
    private mutating func parseBlock(isWith: Bool) throws(Failure) -> TemplateNode {
        let condition = try parsePipeline()
        try closeAction()
        let (body, terminator) = try parseList()
        var otherwise: [TemplateNode] = []
        switch terminator {
        case "end":
            break
        case "else":
            let (elseBody, elseTerminator) = try parseList()
            guard elseTerminator == "end" else { throw Failure(message: "missing {{end}} after {{else}}") }
            otherwise = elseBody
        case "else if":
            otherwise = [try parseBlock(isWith: false)]
        default:
            throw Failure(message: "missing {{end}} for {{\(isWith ? "with" : "if")}}")
        }
        return isWith ? .with(condition, then: body, otherwise: otherwise) : .conditional(condition, then: body, otherwise: otherwise)
    }

    private mutating func skipComment() throws(Failure) {
        index += 2
        while index + 1 < scalars.count, !(scalars[index] == "*" && scalars[index + 1] == "/") { index += 1 }
        guard index + 1 < scalars.count else { throw Failure(message: "unclosed comment") }
        index += 2
        try closeAction()
    }

    /// Expects `}}` or `-}}` (which trims the spaces that follow).
    private mutating func closeAction() throws(Failure) {
        skipSpaces()
        if index + 2 < scalars.count, scalars[index] == "-", scalars[index + 1] == "}", scalars[index + 2] == "}" {
            index += 3
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            return
        }
        guard index + 1 < scalars.count, scalars[index] == "}", scalars[index + 1] == "}" else {
            throw Failure(message: "unclosed action: expected }} at \(index)")
        }
        index += 2
    }

    private mutating func skipSpaces() {
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" || scalars[index] == "\n" || scalars[index] == "\r" { index += 1 }
    }

    private func peekWord() -> String {
        var cursor = index
        var word = ""
        while cursor < scalars.count, Self.isIdentifier(scalars[cursor]) {
            word.unicodeScalars.append(scalars[cursor])
            cursor += 1
        }
        return word
    }

    private static func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }

    private var atActionEnd: Bool {
        guard index < scalars.count else { return true }
        if scalars[index] == "}", index + 1 < scalars.count, scalars[index + 1] == "}" { return true }
        return scalars[index] == "-" && index + 2 < scalars.count && scalars[index + 1] == "}" && scalars[index + 2] == "}"
    }

    private mutating func parsePipeline(closing: Bool = false) throws(Failure) -> TemplatePipeline {
        var commands: [[TemplateOperand]] = []
        var command: [TemplateOperand] = []
        while true {
            skipSpaces()
            if closing, index < scalars.count, scalars[index] == ")" {
                index += 1
                break
            }
            if !closing, atActionEnd { break }
            guard index < scalars.count else { throw Failure(message: closing ? "unclosed (" : "unclosed action") }
            if scalars[index] == "|" {
                guard !command.isEmpty else { throw Failure(message: "missing command before |") }
                commands.append(command)
                command = []
                index += 1
                continue
            }
            command.append(try parseOperand())
        }
        guard !command.isEmpty else { throw Failure(message: commands.isEmpty ? "missing value for command" : "missing command after |") }
        commands.append(command)
        return TemplatePipeline(commands: commands)
    }

    private mutating func parseOperand() throws(Failure) -> TemplateOperand {
        let scalar = scalars[index]
        switch scalar {
        case "(":
            index += 1
            return .pipeline(try parsePipeline(closing: true))
        case ".":
            index += 1
            var name = ""
            while index < scalars.count, Self.isIdentifier(scalars[index]) {
                name.unicodeScalars.append(scalars[index])
                index += 1
            }
            if index < scalars.count, scalars[index] == "." {
                throw Failure(message: "can't evaluate field \(name).…: label values are strings")
            }
            guard !name.isEmpty else { throw Failure(message: "`.` alone is not supported: write .label") }
            return .field(name)
        case "\"":
            return .string(try parseQuoted())
        case "`":
            index += 1
            var text = ""
            while index < scalars.count, scalars[index] != "`" {
                text.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard index < scalars.count else { throw Failure(message: "unterminated raw string") }
            index += 1
            return .string(text)
        case "$":
            throw Failure(message: "template variables ($x) are not supported in LogQL templates")
        case "-", "+", "0"..."9":
            var text = ""
            while index < scalars.count, "0123456789.+-eExXabcdefABCDEF_".unicodeScalars.contains(scalars[index]) {
                text.unicodeScalars.append(scalars[index])
                index += 1
            }
            let cleaned = text.replacingUnderscores()
            if let value = Int64(cleaned) { return .int(value) }
            if let value = Double(cleaned) { return .float(value) }
            throw Failure(message: "bad number syntax: \"\(text)\"")
        default:
            guard Self.isIdentifier(scalar) else { throw Failure(message: "unexpected \"\(scalar)\" in command") }
            let word = peekWord()
            index += word.unicodeScalars.count
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "nil": throw Failure(message: "nil is not a command")
            default: return .function(word)
            }
        }
    }

    private mutating func parseQuoted() throws(Failure) -> String {
        index += 1
        var text = ""
        while index < scalars.count, scalars[index] != "\"" {
            var scalar = scalars[index]
            if scalar == "\\" {
                index += 1
                guard index < scalars.count else { break }
                switch scalars[index] {
                case "n": scalar = "\n"
                case "t": scalar = "\t"
                case "r": scalar = "\r"
                case "\\": scalar = "\\"
                case "\"": scalar = "\""
                case "'": scalar = "'"
                case "0": scalar = "\0"
                default: throw Failure(message: "unknown escape \\\(scalars[index]) in a string")
                }
            }
            text.unicodeScalars.append(scalar)
            index += 1
        }
        guard index < scalars.count else { throw Failure(message: "unterminated quoted string") }
        index += 1
        return text
    }
}
