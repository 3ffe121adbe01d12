import TributaryModel

/// `| logfmt [--strict] [--keep-empty] [label="key", …]` as Loki runs it:
/// every pair becomes a label (sanitised name, `_extracted` on collision,
/// the first parser to set a name wins), pairs without a value are skipped
/// unless `--keep-empty`; malformed pairs are skipped, or with `--strict`
/// stop the parse and set `__error__="LogfmtParserErr"`. With extractions
/// only the named keys are read, each to its label ("" when absent).
final class LogfmtFieldParser: LogPipelineStage {
    private let options: LogfmtOptions
    /// Key → label for extractions.
    private let extractions: [(label: String, key: String)]

    init(_ options: LogfmtOptions) throws(LogPipelineError) {
        self.options = options
        for extraction in options.extractions where !Label.isValidName(extraction.label) {
            throw LogPipelineError("invalid extracted label name '\(extraction.label)' in | logfmt: names must match [A-Za-z_][A-Za-z0-9_]*")
        }
        extractions = options.extractions.map { ($0.label, $0.path) }
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        line.withBytes { bytes in
            if extractions.isEmpty {
                parseAll(bytes, &labels)
            } else {
                parseExtractions(bytes, &labels)
            }
        }
        return true
    }

    private func parseAll(_ bytes: UnsafeRawBufferPointer, _ labels: inout LogLabelBuilder) {
        var decoder = LogfmtDecoder(bytes)
        while !decoder.atEnd {
            guard decoder.scan() else {
                if options.strict { break }
                continue
            }
            guard let key = decoder.key else { continue }
            let sanitized = LogLabelNames.sanitize(UnsafeRawBufferPointer(rebasing: bytes[key]))
            guard !sanitized.isEmpty else { continue }
            let name = labels.parsedName(sanitized)
            guard !labels.wasExtracted(name) else { continue }
            guard options.keepEmpty || decoder.hasValue else { continue }
            labels.setParsed(name, decoder.valueText())
        }
        if options.strict, let error = decoder.error {
            labels.setError(LogLabelNames.logfmtParserError, details: error)
        }
    }

    private func parseExtractions(_ bytes: UnsafeRawBufferPointer, _ labels: inout LogLabelBuilder) {
        for extraction in extractions where labels.get(extraction.label) == nil && !labels.collides(extraction.label) {
            labels.setParsed(extraction.label, "")
        }
        var decoder = LogfmtDecoder(bytes)
        while !decoder.atEnd {
            guard decoder.scan() else {
                if options.strict { break }
                continue
            }
            guard let key = decoder.key else { continue }
            let sanitized = LogLabelNames.sanitize(UnsafeRawBufferPointer(rebasing: bytes[key]))
            for extraction in extractions where extraction.key == sanitized {
                labels.setParsed(labels.parsedName(extraction.label), decoder.valueText())
            }
        }
        if options.strict, let error = decoder.error {
            labels.setError(LogLabelNames.logfmtParserError, details: error)
        }
    }
}
