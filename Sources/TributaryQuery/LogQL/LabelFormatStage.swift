import TributaryModel

/// `| label_format dst=src, msg="{{.a}}-{{.b}}"`: renames (`dst=src` moves
/// the value and removes `src`, when `src` has one) and sets labels from
/// templates, in order. A name may appear once per stage and `__error__`
/// cannot be formatted (Loki's rules). A failing template sets
/// `__error__="TemplateFormatErr"` and leaves its label alone.
final class LabelFormatStage: LogPipelineStage {
    private enum Item {
        case rename(to: String, from: String)
        case template(to: String, LineTemplate)
    }

    private let items: [Item]
    private var output = ""

    init(_ items: [LabelFormatItem]) throws(LogPipelineError) {
        var compiled: [Item] = []
        var seen: [String] = []
        for item in items {
            let name: String
            switch item {
            case .rename(let to, let from):
                name = to
                compiled.append(.rename(to: to, from: from))
            case .template(let to, let text):
                name = to
                do {
                    compiled.append(.template(to: to, try LineTemplate(text)))
                } catch {
                    throw LogPipelineError("invalid template for label '\(to)': \(error.message)")
                }
            }
            guard name != LogLabelNames.error else { throw LogPipelineError("\(name) cannot be formatted") }
            guard Label.isValidName(name) else { throw LogPipelineError("invalid label name '\(name)' in | label_format") }
            guard !seen.contains(name) else { throw LogPipelineError("multiple label name '\(name)' not allowed in a single format operation") }
            seen.append(name)
        }
        self.items = compiled
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        for item in items {
            switch item {
            case .rename(let to, let from):
                if let value = labels.get(from) {
                    labels.setParsed(to, value)
                    labels.delete(from)
                }
            case .template(let to, let template):
                let failure: String? = line.withBytes { bytes in
                    do throws(LineTemplate.Failure) {
                        try template.execute(&labels, LineTemplate.Context(line: bytes, timestamp: line.timestamp), into: &output)
                        return nil
                    } catch {
                        return error.message
                    }
                }
                if let failure {
                    labels.setError(LogLabelNames.templateFormatError, details: failure)
                } else {
                    labels.setParsed(to, output)
                }
            }
        }
        return true
    }
}
