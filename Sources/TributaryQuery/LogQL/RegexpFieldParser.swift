import TributaryModel

/// `| regexp "(?P<method>\\w+) (?P<path>\\S+)"`: the named groups of the
/// first match become labels (`_extracted` on collision, the first parser
/// to set a name wins); a line that does not match keeps its labels and is
/// not dropped, as in Loki. The pattern needs at least one named group,
/// names unique and valid label names.
final class RegexpFieldParser: LogPipelineStage {
    private let regex: SubmatchRegex
    /// Group number → label name, for named groups.
    private let names: [(group: Int, name: String)]

    init(_ pattern: String) throws(LogPipelineError) {
        do {
            regex = try SubmatchRegex(pattern)
        } catch {
            throw LogPipelineError("invalid | regexp pattern \"\(pattern)\": \(error)")
        }
        var names: [(Int, String)] = []
        for (offset, name) in regex.groupNames.enumerated() {
            guard let name else { continue }
            guard Label.isValidName(name) else { throw LogPipelineError("invalid extracted label name '\(name)' in | regexp: names must match [A-Za-z_][A-Za-z0-9_]*") }
            guard !names.contains(where: { $0.1 == name }) else { throw LogPipelineError("duplicate extracted label name '\(name)' in | regexp") }
            names.append((offset + 1, name))
        }
        guard !names.isEmpty else {
            throw LogPipelineError("| regexp \"\(pattern)\" needs at least one named capture such as (?P<name>…)")
        }
        self.names = names
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        line.withBytes { bytes in
            guard let groups = regex.firstMatch(in: bytes) else { return }
            for (group, name) in names {
                let label = labels.parsedName(name)
                guard !labels.wasExtracted(label) else { continue }
                let value = groups[group].map { JSONCursor.text(bytes, $0) } ?? ""
                labels.setParsed(label, value)
            }
        }
        return true
    }
}
