/// One step of a `| json label="path"` path: a member (`a`, `["a.b"]`) or
/// an array element (`[0]`).
enum JSONPathSegment: Equatable, Sendable {
    case member(String)
    case element(Int)

    /// Parses Loki's path syntax: `a.b`, `a[0].c`, `["a.b"]`, `a["x y"][1]`.
    static func parse(_ path: String) throws(LogPipelineError) -> [JSONPathSegment] {
        let scalars = Array(path.unicodeScalars)
        var index = 0
        var segments: [JSONPathSegment] = []
        func fail(_ why: String) -> LogPipelineError {
            LogPipelineError("cannot parse the JSON path \"\(path)\" at \(index): \(why); write a.b, a[0] or [\"a.b\"]")
        }
        func isStart(_ scalar: Unicode.Scalar) -> Bool { scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic) }
        func isPart(_ scalar: Unicode.Scalar) -> Bool { isStart(scalar) || ("0"..."9").contains(scalar) }
        func field() -> String {
            var name = ""
            while index < scalars.count, isPart(scalars[index]) {
                name.unicodeScalars.append(scalars[index])
                index += 1
            }
            return name
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == " " {
                index += 1
                continue
            }
            if scalar == "." {
                guard !segments.isEmpty else { throw fail("a path cannot start with '.'") }
                index += 1
                while index < scalars.count, scalars[index] == " " { index += 1 }
                guard index < scalars.count, isStart(scalars[index]) else { throw fail("expected a name after '.'") }
                segments.append(.member(field()))
            } else if scalar == "[" {
                index += 1
                while index < scalars.count, scalars[index] == " " { index += 1 }
                guard index < scalars.count else { throw fail("unterminated '['") }
                if scalars[index] == "\"" {
                    index += 1
                    var key = ""
                    while index < scalars.count, scalars[index] != "\"" {
                        key.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    guard index < scalars.count else { throw fail("unterminated string") }
                    index += 1
                    segments.append(.member(key))
                } else {
                    var digits = ""
                    while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                        digits.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    guard let position = Int(digits), position < 1_000_000 else { throw fail("expected an index or a quoted key") }
                    segments.append(.element(position))
                }
                while index < scalars.count, scalars[index] == " " { index += 1 }
                guard index < scalars.count, scalars[index] == "]" else { throw fail("expected ']'") }
                index += 1
            } else if isStart(scalar), segments.isEmpty {
                segments.append(.member(field()))
            } else {
                throw fail("unexpected character '\(scalar)'")
            }
        }
        guard !segments.isEmpty else { throw fail("the path is empty") }
        return segments
    }
}
