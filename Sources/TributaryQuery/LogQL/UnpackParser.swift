/// `| unpack`: reads the JSON object Promtail's `pack` stage wrote — its
/// string members become labels and `_entry` becomes the line again.
/// Labels are only set when the object has an `_entry` (Loki's rule); a
/// line that is not such an object gets `__error__="JSONParserErr"`.
final class UnpackParser: LogPipelineStage {
    private var pending: [(String, String)] = []

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        pending.removeAll(keepingCapacity: true)
        var entry: [UInt8]? = nil
        let failure: String? = line.withBytes { bytes in
            guard let first = bytes.first else { return nil }
            guard first == UInt8(ascii: "{") else { return "expecting json object, but it is not" }
            var cursor = JSONCursor(bytes)
            do throws(JSONCursor.Failure) {
                try cursor.forEachMember { (cursor: inout JSONCursor, key: String, value: JSONCursor.Value) throws(JSONCursor.Failure) in
                    guard value.kind == .string else { return }
                    let text = JSONCursor.unescape(cursor.bytes, value.range, hasEscapes: value.hasEscapes) ?? ""
                    if key == LogLabelNames.packedEntry {
                        entry = Array(text.utf8)
                        return
                    }
                    let name = labels.parsedName(LogLabelNames.sanitize(key))
                    guard !name.isEmpty, !labels.wasExtracted(name) else { return }
                    pending.append((name, text))
                }
            } catch {
                return error.message
            }
            return nil
        }
        if let failure {
            labels.setError(LogLabelNames.jsonParserError, details: failure)
            return true
        }
        if let entry {
            for (name, value) in pending { labels.setParsed(name, value) }
            line.rewritten = entry
        }
        return true
    }
}
