import TributaryModel

/// A Loki stream's labels as push requests carry them, in selector form:
/// `{app="api", env="prod"}`. Values are Go-quoted strings (`\"`, `\\`,
/// `\n`, `\t`, `\uXXXX`…). Names must be valid label names.
enum LokiLabelsParser {
    static func parse(_ text: String, maxLabels: Int) throws(PushError) -> Labels {
        let all = Array(text.utf8)
        var bytes = all[...]
        func skipSpaces() {
            while let byte = bytes.first, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { bytes = bytes.dropFirst() }
        }
        func fail(_ why: String) -> PushError {
            .badRequest("stream labels \(text.prefix(200)): \(why); expected {name=\"value\", …}")
        }
        skipSpaces()
        guard bytes.first == UInt8(ascii: "{") else { throw fail("must start with {") }
        bytes = bytes.dropFirst()
        var pairs: [Label] = []
        skipSpaces()
        if bytes.first == UInt8(ascii: "}") {
            bytes = bytes.dropFirst()
        } else {
            while true {
                skipSpaces()
                let nameStart = bytes.startIndex
                while let byte = bytes.first, byte != UInt8(ascii: "="), byte != 0x20 { bytes = bytes.dropFirst() }
                let name = String(decoding: all[nameStart..<bytes.startIndex], as: UTF8.self)
                skipSpaces()
                guard bytes.first == UInt8(ascii: "=") else { throw fail("label \(name) has no =\"value\"") }
                bytes = bytes.dropFirst()
                skipSpaces()
                guard bytes.first == UInt8(ascii: "\"") else { throw fail("the value of \(name) must be a double-quoted string") }
                bytes = bytes.dropFirst()
                let value = try quoted(&bytes, fail: fail)
                pairs.append(Label(name, value))
                guard pairs.count <= maxLabels else {
                    throw .badRequest("stream \(text.prefix(200)) has more than \(maxLabels) labels (push.max_labels_per_series)")
                }
                skipSpaces()
                if bytes.first == UInt8(ascii: ",") { bytes = bytes.dropFirst(); continue }
                guard bytes.first == UInt8(ascii: "}") else { throw fail("expected , or } after the value of \(name)") }
                bytes = bytes.dropFirst()
                break
            }
        }
        skipSpaces()
        guard bytes.isEmpty else { throw fail("unexpected text after }") }
        guard !pairs.isEmpty else { throw .badRequest("a stream has no labels: at least one label pair is required per stream") }
        do {
            return try Labels(pairs)
        } catch {
            throw .badRequest("stream labels \(text.prefix(200)): \(error)")
        }
    }

    /// The rest of a quoted string (after its opening quote), unescaped.
    private static func quoted(_ bytes: inout ArraySlice<UInt8>, fail: (String) -> PushError) throws(PushError) -> String {
        var value: [UInt8] = []
        while let byte = bytes.first {
            bytes = bytes.dropFirst()
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = bytes.first else { throw fail("a value ends inside an escape") }
                bytes = bytes.dropFirst()
                switch escaped {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "r"): value.append(0x0D)
                case UInt8(ascii: "u"):
                    let hex = bytes.prefix(4)
                    guard hex.count == 4, let code = UInt32(String(decoding: hex, as: UTF8.self), radix: 16), let scalar = Unicode.Scalar(code) else {
                        throw fail("bad \\u escape")
                    }
                    bytes = bytes.dropFirst(4)
                    value.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: value.append(escaped)
                }
            default:
                value.append(byte)
            }
        }
        throw fail("a value has no closing quote")
    }
}
