/// `| json`: every member of the line's JSON object becomes a label;
/// nested objects join their keys with `_` (`{"a":{"b":1}}` gives `a_b`),
/// names are sanitised (`user-agent` → `user_agent`), arrays and nulls are
/// skipped, as Loki does. A line that is not a JSON object keeps what was
/// read before the fault and gets `__error__="JSONParserErr"` with the
/// reason in `__error_details__`.
final class JSONFieldParser: LogPipelineStage {
    /// Deeper objects are skipped (bounded work per member, no deep recursion).
    static let maxDepth = 64

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        line.withBytes { bytes in
            var cursor = JSONCursor(bytes)
            do throws(JSONCursor.Failure) {
                try Self.readObject(&cursor, prefix: "", depth: 0, &labels)
            } catch {
                labels.setError(LogLabelNames.jsonParserError, details: error.message)
            }
        }
        return true
    }

    private static func readObject(_ cursor: inout JSONCursor, prefix: String, depth: Int, _ labels: inout LogLabelBuilder) throws(JSONCursor.Failure) {
        try cursor.forEachMember { (cursor: inout JSONCursor, key: String, value: JSONCursor.Value) throws(JSONCursor.Failure) in
            let part = LogLabelNames.sanitize(key.utf8, digitPrefix: prefix.isEmpty)
            let name = prefix.isEmpty ? part : part.isEmpty ? prefix : prefix + "_" + part
            switch value.kind {
            case .object:
                if depth < maxDepth { try readObject(&cursor, prefix: name, depth: depth + 1, &labels) }
            case .array, .null:
                break
            case .string, .number, .boolean:
                guard !name.isEmpty else { return }
                let label = labels.parsedName(name)
                guard !labels.wasExtracted(label) else { return }
                let text: String
                switch value.kind {
                case .string: text = JSONCursor.unescape(cursor.bytes, value.range, hasEscapes: value.hasEscapes) ?? ""
                default: text = JSONCursor.text(cursor.bytes, value.range)
                }
                labels.setParsed(label, text)
            }
        }
    }
}
