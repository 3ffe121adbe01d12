import TributaryModel

/// `| json status="response.status", first="items[0]"`: only the named
/// paths, each to its label. A string value is unescaped, an object or
/// array is its JSON text, null and missing paths are "" (Loki sets every
/// named label). A line that does not start like JSON (`{`, `[`, `"`) gets
/// `__error__="JSONParserErr"`.
final class JSONExtractionParser: LogPipelineStage {
    private let extractions: [(label: String, path: [JSONPathSegment])]

    init(_ extractions: [LogExtraction]) throws(LogPipelineError) {
        var compiled: [(String, [JSONPathSegment])] = []
        for extraction in extractions {
            guard Label.isValidName(extraction.label) else {
                throw LogPipelineError("invalid extracted label name '\(extraction.label)' in | json: names must match [A-Za-z_][A-Za-z0-9_]*")
            }
            compiled.append((extraction.label, try JSONPathSegment.parse(extraction.path)))
        }
        self.extractions = compiled
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        line.withBytes { bytes in
            guard let first = bytes.first else { return }
            guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"") else {
                labels.setError(LogLabelNames.jsonParserError, details: nil)
                return
            }
            for extraction in extractions {
                let name = labels.parsedName(extraction.label)
                do throws(JSONCursor.Failure) {
                    if let value = try Self.find(extraction.path, in: bytes) {
                        labels.setParsed(name, value)
                        continue
                    }
                } catch {
                    labels.setError(LogLabelNames.jsonParserError, details: error.message)
                }
                if labels.get(extraction.label) == nil { labels.setParsed(extraction.label, "") }
            }
        }
        return true
    }

    private static func find(_ path: [JSONPathSegment], in bytes: UnsafeRawBufferPointer) throws(JSONCursor.Failure) -> String? {
        var cursor = JSONCursor(bytes)
        for segment in path {
            switch segment {
            case .member(let key): guard try cursor.seekMember(key) else { return nil }
            case .element(let position): guard try cursor.seekElement(position) else { return nil }
            }
        }
        cursor.skipSpace()
        let value = try cursor.classify()
        switch value.kind {
        case .null: return ""
        case .string: return JSONCursor.unescape(bytes, value.range, hasEscapes: value.hasEscapes) ?? ""
        case .number, .boolean: return JSONCursor.text(bytes, value.range)
        case .object, .array: return JSONCursor.text(bytes, try cursor.rawValue(value))
        }
    }
}
