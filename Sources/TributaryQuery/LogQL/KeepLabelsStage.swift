/// `| keep level, method="GET"`: removes every output label except the
/// named ones (a named one with a matcher is kept only when its value
/// matches); the error labels are always kept.
final class KeepLabelsStage: LogPipelineStage {
    private let selections: [LabelSelection]

    init(_ selections: [LabelSelection]) {
        self.selections = selections
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        guard !selections.isEmpty else { return true }
        for name in labels.outputNames() {
            let value = labels.value(of: name)
            let kept = selections.contains { selection in
                if let matcher = selection.matcher { return matcher.name == name && matcher.matches(value: value) }
                return selection.name == name
            }
            if !kept { labels.delete(name) }
        }
        return true
    }
}
