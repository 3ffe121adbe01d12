import TributaryModel

/// Reads a series description's `name{labels}` and then its value tokens
/// (a `{{…}}` histogram is one token even though it holds spaces).
struct LineScanner {
    private let characters: [Character]
    private var position = 0

    init(_ line: String) {
        characters = Array(line)
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position] == " " || characters[position] == "\t" { position += 1 }
    }

    private func isNameCharacter(_ character: Character, first: Bool) -> Bool {
        character.isASCII && (character.isLetter || character == "_" || character == ":" || (!first && character.isNumber))
    }

    private mutating func name() -> String {
        var name = ""
        while position < characters.count, isNameCharacter(characters[position], first: name.isEmpty) {
            name.append(characters[position])
            position += 1
        }
        return name
    }

    private mutating func quoted() throws -> String {
        let quote = characters[position]
        position += 1
        var value = ""
        while position < characters.count, characters[position] != quote {
            var character = characters[position]
            if character == "\\", quote != "`", position + 1 < characters.count {
                position += 1
                switch characters[position] {
                case "n": character = "\n"
                case "t": character = "\t"
                case "r": character = "\r"
                case "\\": character = "\\"
                case "\"": character = "\""
                case "'": character = "'"
                case "u", "U", "x":
                    let length = characters[position] == "x" ? 2 : (characters[position] == "u" ? 4 : 8)
                    let digits = String(characters[(position + 1)..<min(position + 1 + length, characters.count)])
                    guard let scalar = UInt32(digits, radix: 16).flatMap(Unicode.Scalar.init) else {
                        throw SeriesDescription.Malformed(description: "bad escape in \(String(characters))")
                    }
                    character = Character(scalar)
                    position += length
                default: character = characters[position]
                }
            }
            value.append(character)
            position += 1
        }
        guard position < characters.count else { throw SeriesDescription.Malformed(description: "unterminated string in \(String(characters))") }
        position += 1
        return value
    }

    mutating func labels() throws -> Labels {
        skipSpaces()
        var pairs: [String: String] = [:]
        let metric = name()
        if !metric.isEmpty { pairs["__name__"] = metric }
        if position < characters.count, characters[position] == "{" {
            position += 1
            while true {
                skipSpaces()
                guard position < characters.count else { throw SeriesDescription.Malformed(description: "unterminated labels") }
                if characters[position] == "}" {
                    position += 1
                    break
                }
                if characters[position] == "," {
                    position += 1
                    continue
                }
                let labelName: String
                if characters[position] == "\"" || characters[position] == "'" || characters[position] == "`" {
                    labelName = try quoted()
                } else {
                    labelName = name()
                }
                skipSpaces()
                if position < characters.count, characters[position] == "=" {
                    position += 1
                    skipSpaces()
                    guard position < characters.count, "\"'`".contains(characters[position]) else {
                        throw SeriesDescription.Malformed(description: "expected a quoted label value in \(String(characters))")
                    }
                    pairs[labelName] = try quoted()
                } else if !labelName.isEmpty {
                    pairs["__name__"] = labelName
                } else {
                    throw SeriesDescription.Malformed(description: "unexpected character in \(String(characters))")
                }
            }
        }
        do {
            return try Labels(pairs.map { Label($0.key, $0.value) })
        } catch {
            throw SeriesDescription.Malformed(description: "\(error)")
        }
    }

    mutating func valueToken() -> String? {
        skipSpaces()
        guard position < characters.count else { return nil }
        var token = ""
        var depth = 0
        while position < characters.count {
            let character = characters[position]
            if depth == 0, character == " " || character == "\t" { break }
            if character == "{" { depth += 1 }
            if character == "}" { depth -= 1 }
            token.append(character)
            position += 1
        }
        return token
    }
}
