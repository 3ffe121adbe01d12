/// `| pattern "<ip> - <_> [<time>] \"<method> <path> <_>\""`: the named
/// captures become labels (`_extracted` on collision, the first parser to
/// set a name wins); a line that does not match is kept unchanged.
final class PatternFieldParser: LogPipelineStage {
    private let pattern: LogPattern
    private var ranges: [Range<Int>] = []

    init(_ text: String) throws(LogPipelineError) {
        pattern = try LogPattern(text)
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        line.withBytes { bytes in
            pattern.matches(bytes, into: &ranges)
            for (offset, range) in ranges.enumerated() {
                let name = labels.parsedName(pattern.names[offset])
                guard !labels.wasExtracted(name) else { continue }
                labels.setParsed(name, JSONCursor.text(bytes, range))
            }
        }
        return true
    }
}
