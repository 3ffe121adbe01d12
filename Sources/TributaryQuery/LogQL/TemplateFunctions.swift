/// The functions LogQL templates can call: Loki's own (`ToUpper`,
/// `Replace`, `TrimPrefix`, `regexReplaceAll`, `__line__`,
/// `__timestamp__`, `unixEpochMillis`, `alignLeft`, …), the Sprig ones Loki
/// exposes (`lower`, `title`, `substr`, `contains`, `default`, `add`,
/// `date`, …) and Go's built-ins (`eq`, `ne`, `lt`, `not`, `len`, `printf`, …).
/// Argument order is Sprig's where it differs from Go's: the piped value
/// is the last argument (`{{ .path | trimPrefix "/api" }}`).
enum TemplateFunctions {
    typealias Failure = LineTemplate.Failure

    static func call(_ name: String, _ arguments: [TemplateValue], _ context: LineTemplate.Context) throws(Failure) -> TemplateValue {
        func want(_ count: Int) throws(Failure) {
            guard arguments.count == count else { throw Failure(message: "wrong number of args for \(name): want \(count) got \(arguments.count)") }
        }
        func atLeast(_ count: Int) throws(Failure) {
            guard arguments.count >= count else { throw Failure(message: "wrong number of args for \(name): want at least \(count) got \(arguments.count)") }
        }
        func string(_ index: Int) -> String { arguments[index].text }
        func int(_ index: Int) -> Int { Int(clamping: arguments[index].int) }

        switch name {
        // Loki's line and time.
        case "__line__":
            try want(0)
            return .string(String(decoding: context.line, as: UTF8.self))
        case "__timestamp__":
            try want(0)
            return .time(context.timestamp)

        // Strings, Go argument order (Loki's functions).
        case "ToUpper", "upper":
            try want(1); return .string(string(0).uppercased())
        case "ToLower", "lower":
            try want(1); return .string(string(0).lowercased())
        case "Title", "title":
            try want(1); return .string(title(string(0)))
        case "TrimSpace", "trim":
            try want(1); return .string(string(0).trimmingSpaces())
        case "Trim":
            try want(2); return .string(trim(string(0), cutset: string(1), left: true, right: true))
        case "TrimLeft":
            try want(2); return .string(trim(string(0), cutset: string(1), left: true, right: false))
        case "TrimRight":
            try want(2); return .string(trim(string(0), cutset: string(1), left: false, right: true))
        case "trimAll":
            try want(2); return .string(trim(string(1), cutset: string(0), left: true, right: true))
        case "TrimPrefix":
            try want(2); return .string(dropPrefix(string(1), from: string(0)))
        case "trimPrefix":
            try want(2); return .string(dropPrefix(string(0), from: string(1)))
        case "TrimSuffix":
            try want(2); return .string(dropSuffix(string(1), from: string(0)))
        case "trimSuffix":
            try want(2); return .string(dropSuffix(string(0), from: string(1)))
        case "Replace":
            try want(4); return .string(replace(string(0), string(1), string(2), limit: int(3)))
        case "replace":
            try want(3); return .string(replace(string(2), string(0), string(1), limit: -1))
        case "contains":
            try want(2); return .bool(string(0).isEmpty || string(1).contains(string(0)))
        case "hasPrefix":
            try want(2); return .bool(string(1).hasPrefix(string(0)))
        case "hasSuffix":
            try want(2); return .bool(string(1).hasSuffix(string(0)))
        case "substr":
            try want(3); return .string(substring(int(0), int(1), string(2)))
        case "trunc":
            try want(2); return .string(truncate(int(0), string(1)))
        case "repeat":
            try want(2)
            let count = max(0, int(0)), text = string(1)
            guard count.multipliedReportingOverflow(by: max(1, text.utf8.count)).partialValue <= LineTemplate.maxOutput,
                  !count.multipliedReportingOverflow(by: max(1, text.utf8.count)).overflow else {
                throw Failure(message: "repeat: result exceeds \(LineTemplate.maxOutput) bytes")
            }
            return .string(String(repeating: text, count: count))
        case "indent", "nindent":
            try want(2)
            let pad = String(repeating: " ", count: min(max(0, int(0)), 1024))
            let body = pad + string(1).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + pad)
            return .string(name == "nindent" ? "\n" + body : body)
        case "alignLeft", "alignRight":
            try want(2); return .string(align(int(0), string(1), left: name == "alignLeft"))
        case "default":
            try atLeast(1)
            let given = arguments.count > 1 ? arguments[1] : .none
            return given.isTrue ? given : arguments[0]
        case "len":
            try want(1); return .int(Int64(string(0).count))
        case "urlencode":
            try want(1); return .string(urlEncode(string(0)))
        case "urldecode":
            try want(1)
            guard let decoded = urlDecode(string(0)) else { throw Failure(message: "urldecode: invalid escape in \"\(string(0))\"") }
            return .string(decoded)
        case "b64enc":
            try want(1); return .string(Base64.encode(Array(string(0).utf8)))
        case "b64dec":
            try want(1); return .string(Base64.decode(string(0)).map { String(decoding: $0, as: UTF8.self) } ?? "illegal base64 data")
        case "regexReplaceAll", "regexReplaceAllLiteral":
            try want(3)
            return .string(try regexReplace(pattern: string(0), in: string(1), with: string(2), expand: name == "regexReplaceAll"))
        case "count":
            try want(2)
            return .int(Int64(try regexCount(pattern: string(0), in: string(1))))

        // Printing.
        case "print":
            var text = ""
            for (index, argument) in arguments.enumerated() {
                // Go's Print puts spaces between operands when neither is a string.
                if index > 0, !isString(arguments[index - 1]), !isString(argument) { text += " " }
                text += argument.text
            }
            return .string(text)
        case "println":
            return .string(arguments.map(\.text).joined(separator: " ") + "\n")
        case "printf":
            try atLeast(1)
            return .string(GoPrintf.format(string(0), Array(arguments.dropFirst())))

        // Comparison and logic (Go built-ins).
        case "eq":
            try atLeast(2)
            for other in arguments.dropFirst() where try equal(arguments[0], other) { return .bool(true) }
            return .bool(false)
        case "ne":
            try want(2); return .bool(!(try equal(arguments[0], arguments[1])))
        case "lt", "le", "gt", "ge":
            try want(2)
            let order = try compare(arguments[0], arguments[1])
            switch name {
            case "lt": return .bool(order < 0)
            case "le": return .bool(order <= 0)
            case "gt": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case "not":
            try want(1); return .bool(!arguments[0].isTrue)

        // Numbers (Sprig: strings convert, a non-number is 0).
        case "int":
            try want(1); return .int(arguments[0].int)
        case "float64":
            try want(1); return .float(arguments[0].float)
        case "add", "sub", "mul", "div", "mod", "max", "min":
            try atLeast(name == "max" || name == "min" ? 1 : 2)
            var result = arguments[0].int
            for argument in arguments.dropFirst() {
                let value = argument.int
                switch name {
                case "add": result = result &+ value
                case "sub": result = result &- value
                case "mul": result = result &* value
                case "div":
                    guard value != 0 else { throw Failure(message: "div: integer divide by zero") }
                    result = result.dividedReportingOverflow(by: value).partialValue
                case "mod":
                    guard value != 0 else { throw Failure(message: "mod: integer divide by zero") }
                    result = result.remainderReportingOverflow(dividingBy: value).partialValue
                case "max": result = Swift.max(result, value)
                default: result = Swift.min(result, value)
                }
            }
            return .int(result)
        case "addf", "subf", "mulf", "divf", "maxf", "minf":
            try atLeast(name == "maxf" || name == "minf" ? 1 : 2)
            var result = arguments[0].float
            for argument in arguments.dropFirst() {
                let value = argument.float
                switch name {
                case "addf": result += value
                case "subf": result -= value
                case "mulf": result *= value
                case "divf": result /= value
                case "maxf": result = Swift.max(result, value)
                default: result = Swift.min(result, value)
                }
            }
            return .float(result)
        case "ceil":
            try want(1); return .float(arguments[0].float.rounded(.up))
        case "floor":
            try want(1); return .float(arguments[0].float.rounded(.down))
        case "round":
            try atLeast(2)
            let places = Swift.min(Swift.max(int(1), 0), 15)
            var scale = 1.0
            for _ in 0..<places { scale *= 10 }
            return .float((arguments[0].float * scale).rounded(.toNearestOrAwayFromZero) / scale)

        // Units and time.
        case "bytes":
            try want(1)
            do throws(HumanBytes.Failure) { return .float(try HumanBytes.parse(string(0))) } catch { throw Failure(message: error.description) }
        case "duration", "duration_seconds":
            try want(1)
            do throws(GoDuration.Failure) { return .float(Double(try GoDuration.parse(string(0))) / 1e9) } catch { throw Failure(message: error.description) }
        case "unixEpoch":
            try want(1); return .string(String(nanoseconds(arguments[0]) / 1_000_000_000))
        case "unixEpochMillis":
            try want(1); return .string(String(nanoseconds(arguments[0]) / 1_000_000))
        case "unixEpochNanos":
            try want(1); return .string(String(nanoseconds(arguments[0])))
        case "unixToTime":
            try want(1)
            let text = string(0)
            guard let value = Int64(text) else { throw Failure(message: "unable to parse time '\(text)'") }
            let scale: Int64
            switch text.count {
            case 5: scale = 86_400_000_000_000
            case 10: scale = 1_000_000_000
            case 13: scale = 1_000_000
            case 16: scale = 1_000
            case 19: scale = 1
            default: throw Failure(message: "unable to parse time '\(text)'")
            }
            let (result, overflow) = value.multipliedReportingOverflow(by: scale)
            guard !overflow else { throw Failure(message: "unable to parse time '\(text)': out of range") }
            return .time(result)
        case "date":
            try want(2); return .string(GoTimeLayout.format(nanoseconds(arguments[1]), layout: string(0)))
        default:
            throw Failure(message: "function \"\(name)\" not defined")
        }
    }

    private static func isString(_ value: TemplateValue) -> Bool {
        if case .string = value { return true }
        return false
    }

    private static func nanoseconds(_ value: TemplateValue) -> Int64 {
        if case .time(let time) = value { return time }
        return value.int &* 1_000_000_000
    }

    private static func equal(_ left: TemplateValue, _ right: TemplateValue) throws(Failure) -> Bool {
        switch (left, right) {
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.time(let a), .time(let b)): return a == b
        case (.int, .int), (.int, .float), (.float, .int), (.float, .float): return left.float == right.float
        default: throw Failure(message: "incompatible types for comparison")
        }
    }

    private static func compare(_ left: TemplateValue, _ right: TemplateValue) throws(Failure) -> Int {
        switch (left, right) {
        case (.string(let a), .string(let b)): return a < b ? -1 : a == b ? 0 : 1
        case (.int, .int), (.int, .float), (.float, .int), (.float, .float), (.time, .time):
            let a = left.float, b = right.float
            return a < b ? -1 : a == b ? 0 : 1
        default: throw Failure(message: "incompatible types for comparison")
        }
    }

    static func title(_ text: String) -> String {
        var result = ""
        var atWordStart = true
        for character in text {
            result += atWordStart ? character.uppercased() : String(character)
            atWordStart = character.isWhitespace || character.isPunctuation && character != "'"
        }
        return result
    }

    static func trim(_ text: String, cutset: String, left: Bool, right: Bool) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        let cut = Set(cutset.unicodeScalars)
        if left { while let first = scalars.first, cut.contains(first) { scalars = scalars.dropFirst() } }
        if right { while let last = scalars.last, cut.contains(last) { scalars = scalars.dropLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    static func dropPrefix(_ prefix: String, from text: String) -> String {
        text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    static func dropSuffix(_ suffix: String, from text: String) -> String {
        text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : text
    }

    /// Go's `strings.Replace` (limit < 0: all).
    static func replace(_ text: String, _ old: String, _ new: String, limit: Int) -> String {
        guard limit != 0, !old.isEmpty else { return text }
        let bytes = Array(text.utf8), needle = Array(old.utf8), replacement = Array(new.utf8)
        var out: [UInt8] = []
        var index = 0, count = 0
        while index < bytes.count {
            if (limit < 0 || count < limit), bytes.count - index >= needle.count, bytes[index] == needle[0],
               bytes[index..<(index + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: replacement)
                index += needle.count
                count += 1
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Loki's `substring`: by characters, bounds clamped.
    static func substring(_ start: Int, _ end: Int, _ text: String) -> String {
        let characters = Array(text.unicodeScalars)
        let length = characters.count
        let end = Swift.min(end, length), start = Swift.min(start, length)
        if start < 0 { return end < 0 ? "" : String(String.UnicodeScalarView(characters[..<end])) }
        if end < 0 { return String(String.UnicodeScalarView(characters[start...])) }
        if start > end { return "" }
        return String(String.UnicodeScalarView(characters[start..<end]))
    }

    static func truncate(_ count: Int, _ text: String) -> String {
        let characters = Array(text.unicodeScalars)
        if count < 0, characters.count + count > 0 { return String(String.UnicodeScalarView(characters[(characters.count + count)...])) }
        if count >= 0, characters.count > count { return String(String.UnicodeScalarView(characters[..<count])) }
        return text
    }

    static func align(_ count: Int, _ text: String, left: Bool) -> String {
        let characters = Array(text.unicodeScalars)
        guard count >= 0, count != characters.count else { return text }
        let pad = count - characters.count
        if pad > 0 {
            let spaces = String(repeating: " ", count: Swift.min(pad, LineTemplate.maxOutput))
            return left ? text + spaces : spaces + text
        }
        return left ? String(String.UnicodeScalarView(characters[..<count])) : String(String.UnicodeScalarView(characters[(characters.count - count)...]))
    }

    /// Go's `url.QueryEscape`.
    static func urlEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                result += "+"
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return result
    }

    /// Go's `url.QueryUnescape`; nil on a bad escape.
    static func urlDecode(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "+"):
                out.append(0x20)
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else { return nil }
                out.append(high << 4 | low)
                index += 3
            default:
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }

    static func regexReplace(pattern: String, in text: String, with replacement: String, expand: Bool) throws(Failure) -> String {
        let regex: SubmatchRegex
        do { regex = try SubmatchRegex(pattern) } catch { throw Failure(message: "regexReplaceAll: \(error)") }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var position = 0
        var lastMatchEnd = -1
        while position <= bytes.count {
            let found = bytes.withUnsafeBytes { buffer in
                regex.firstMatch(in: UnsafeRawBufferPointer(rebasing: buffer[position...]))
            }
            guard let groups = found, let whole = groups[0] else { break }
            let start = position + whole.lowerBound, end = position + whole.upperBound
            // An empty match right after the previous match is skipped (Go's rule).
            if start == end, start == lastMatchEnd {
                if start < bytes.count { out.append(bytes[start]) }
                position = start + 1
                continue
            }
            out.append(contentsOf: bytes[position..<start])
            if expand {
                out.append(contentsOf: expandTemplate(replacement, groups: groups.map { $0.map { (position + $0.lowerBound)..<(position + $0.upperBound) } }, names: regex.groupNames, in: bytes))
            } else {
                out.append(contentsOf: replacement.utf8)
            }
            lastMatchEnd = end
            if end == start {
                if start < bytes.count { out.append(bytes[start]) }
                position = start + 1
            } else {
                position = end
            }
            guard out.count <= LineTemplate.maxOutput else { throw Failure(message: "regexReplaceAll: result exceeds \(LineTemplate.maxOutput) bytes") }
        }
        if position < bytes.count { out.append(contentsOf: bytes[position...]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`.
    private static func expandTemplate(_ template: String, groups: [Range<Int>?], names: [String?], in bytes: [UInt8]) -> [UInt8] {
        let source = Array(template.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < source.count {
            guard source[index] == UInt8(ascii: "$"), index + 1 < source.count else {
                out.append(source[index])
                index += 1
                continue
            }
            if source[index + 1] == UInt8(ascii: "$") {
                out.append(UInt8(ascii: "$"))
                index += 2
                continue
            }
            var cursor = index + 1
            let braced = source[cursor] == UInt8(ascii: "{")
            if braced { cursor += 1 }
            let nameStart = cursor
            while cursor < source.count, LogLabelNames.isNameByte(source[cursor]) { cursor += 1 }
            let name = String(decoding: source[nameStart..<cursor], as: UTF8.self)
            if braced {
                guard cursor < source.count, source[cursor] == UInt8(ascii: "}") else {
                    out.append(source[index])
                    index += 1
                    continue
                }
                cursor += 1
            }
            guard !name.isEmpty else {
                out.append(source[index])
                index += 1
                continue
            }
            var group: Int? = Int(name)
            if group == nil, let named = names.firstIndex(of: name) { group = named + 1 }
            if let group, group < groups.count, let range = groups[group] { out.append(contentsOf: bytes[range]) }
            index = cursor
        }
        return out
    }

    static func regexCount(pattern: String, in text: String) throws(Failure) -> Int {
        let regex: SubmatchRegex
        do { regex = try SubmatchRegex(pattern) } catch { throw Failure(message: "count: \(error)") }
        let bytes = Array(text.utf8)
        var position = 0, count = 0, lastEnd = -1
        while position <= bytes.count {
            let found = bytes.withUnsafeBytes { regex.firstMatch(in: UnsafeRawBufferPointer(rebasing: $0[position...])) }
            guard let groups = found, let whole = groups[0] else { break }
            let start = position + whole.lowerBound, end = position + whole.upperBound
            if !(start == end && start == lastEnd) { count += 1 }
            lastEnd = end
            position = end > start ? end : start + 1
        }
        return count
    }
}
