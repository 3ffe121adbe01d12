/// `| drop level, method="GET"`: removes the named labels (parsed, field
/// or stream), or only those whose value the matcher accepts; `__error__`
/// and `__error_details__` can be dropped too (a way to keep lines that
/// failed to parse in a metric query).
final class DropLabelsStage: LogPipelineStage {
    private let selections: [LabelSelection]

    init(_ selections: [LabelSelection]) {
        self.selections = selections
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        for selection in selections {
            let value = labels.value(of: selection.name)
            if let matcher = selection.matcher, !matcher.matches(value: value) { continue }
            switch selection.name {
            case LogLabelNames.error: labels.error = ""
            case LogLabelNames.errorDetails: labels.errorDetails = ""
            default: if labels.get(selection.name) != nil { labels.delete(selection.name) }
            }
        }
        return true
    }
}
