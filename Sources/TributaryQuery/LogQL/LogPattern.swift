import TributaryModel

/// Loki's `pattern` expressions: literal text and captures `<name>` (or
/// `<_>` to skip), e.g. `<ip> - - [<_>] "<method> <path> <_>"`. Matching
/// scans left to right for each literal; no backtracking, so it is linear.
struct LogPattern: Sendable {
    enum Part: Sendable, Equatable {
        case literal([UInt8])
        /// nil for `<_>`.
        case capture(String?)
    }

    let parts: [Part]
    /// The names of the named captures, in order.
    let names: [String]

    init(_ text: String) throws(LogPipelineError) {
        var parts: [Part] = []
        var literal: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), let end = Self.identifierEnd(bytes, from: index + 1) {
                if !literal.isEmpty {
                    parts.append(.literal(literal))
                    literal = []
                }
                let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                if case .capture = parts.last {
                    throw LogPipelineError("invalid pattern \"\(text)\": found consecutive captures before <\(name)>; put literal text between captures")
                }
                parts.append(.capture(name == "_" ? nil : name))
                index = end + 1
            } else {
                literal.append(bytes[index])
                index += 1
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        let names = parts.compactMap { part -> String? in
            if case .capture(let name) = part { return name }
            return nil
        }
        guard !names.isEmpty else { throw LogPipelineError("invalid pattern \"\(text)\": at least one named capture such as <name> is required") }
        for (offset, name) in names.enumerated() where names[..<offset].contains(name) {
            throw LogPipelineError("invalid pattern \"\(text)\": duplicate capture name <\(name)>")
        }
        for name in names where !Label.isValidName(name) {
            throw LogPipelineError("invalid capture label name '\(name)' in pattern \"\(text)\"")
        }
        self.parts = parts
        self.names = names
    }

    /// The index of the `>` closing an identifier (`[A-Za-z_][A-Za-z0-9_]*`) starting at `start`.
    private static func identifierEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count, LogLabelNames.isNameByte(bytes[start]), !(bytes[start] >= 0x30 && bytes[start] <= 0x39) else { return nil }
        var index = start + 1
        while index < bytes.count, LogLabelNames.isNameByte(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: ">") ? index : nil
    }

    /// The named captures' byte ranges, in order, for as many captures as
    /// matched (Loki: a literal not found ends the match, the capture
    /// before it taking the rest of the line); empty when the line does not
    /// start with the leading literal.
    func matches(_ line: UnsafeRawBufferPointer, into result: inout [Range<Int>]) {
        result.removeAll(keepingCapacity: true)
        guard !line.isEmpty else { return }
        var position = 0
        var index = 0
        if case .literal(let literal) = parts[0] {
            guard Self.find(literal, in: line, from: 0) == 0 else { return }
            position = literal.count
            index = 1
        }
        while index < parts.count {
            guard case .capture(let name) = parts[index] else { return }
            if index + 1 == parts.count {
                if name != nil { result.append(position..<line.count) }
                return
            }
            guard case .literal(let literal) = parts[index + 1] else { return }
            index += 2
            guard let found = Self.find(literal, in: line, from: position) else {
                if name != nil { result.append(position..<line.count) }
                return
            }
            if name != nil { result.append(position..<found) }
            position = found + literal.count
        }
    }

    static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let first = needle.first, haystack.count - start >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}
