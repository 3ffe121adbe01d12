import TributaryModel

/// A LogQL pipeline (`|= "x" | json | level="error" | line_format …`)
/// compiled once, then run for every line a query reads.
///
/// Give it the line's bytes, its stream labels and the record's fields
/// (the fields the agent extracted act as Loki's structured metadata:
/// stages can read and filter on them without parsing the line again);
/// it answers nil when a stage drops the line, else the resulting labels
/// and, when a stage rewrote it, the new line.
///
/// Cost per line: the line filters before the first other stage run on
/// the bytes before anything else, so a line they drop costs no
/// allocation. Stages keep their buffers between lines.
///
/// Not thread-safe: make one per thread or task (compiling is cheap).
public final class LogPipeline {
    /// Line filters before any other stage.
    private let leadingFilters: [LineFilter]
    private let stages: [any LogPipelineStage]
    var builder = LogLabelBuilder()
    var line = LogLineState(timestamp: 0, input: UnsafeRawBufferPointer(start: nil, count: 0))

    /// Compiles `stages`; a stage that cannot compile (a `regexp` without
    /// named groups, a template that does not parse, …) is a
    /// `LogPipelineError` naming the stage and what to fix.
    public init(_ stages: [LogStage]) throws(LogPipelineError) {
        var leading: [LineFilter] = []
        var compiled: [any LogPipelineStage] = []
        for stage in stages {
            if case .lineFilter(let filter) = stage, compiled.isEmpty {
                leading.append(filter)
                continue
            }
            compiled.append(try Self.compile(stage))
        }
        leadingFilters = leading
        self.stages = compiled
    }

    private static func compile(_ stage: LogStage) throws(LogPipelineError) -> any LogPipelineStage {
        switch stage {
        case .lineFilter(let filter): return LineFilterStage(filter)
        case .json(let extractions):
            return extractions.isEmpty ? JSONFieldParser() : try JSONExtractionParser(extractions)
        case .logfmt(let options): return try LogfmtFieldParser(options)
        case .regexp(let pattern): return try RegexpFieldParser(pattern)
        case .pattern(let pattern): return try PatternFieldParser(pattern)
        case .unpack: return UnpackParser()
        case .labelFilter(let expr): return LabelFilterStage(expr)
        case .lineFormat(let template): return try LineFormatStage(template)
        case .labelFormat(let items): return try LabelFormatStage(items)
        case .drop(let selections): return DropLabelsStage(selections)
        case .keep(let selections): return KeepLabelsStage(selections)
        case .decolorize: return DecolorizeStage()
        }
    }

    /// Runs the pipeline on one line. The bytes are only read during the call.
    public func process(line bytes: UnsafeRawBufferPointer, timestamp: Int64, stream: Labels, fields: [Field] = []) -> LogPipelineOutput? {
        guard run(line: bytes, timestamp: timestamp, stream: stream, fields: fields) else { return nil }
        return LogPipelineOutput(labels: builder.outputLabels(), rewrittenLine: line.rewritten)
    }

    /// `process` on a string's UTF-8.
    public func process(line text: String, timestamp: Int64, stream: Labels, fields: [Field] = []) -> LogPipelineOutput? {
        var text = text
        return text.withUTF8 { process(line: UnsafeRawBufferPointer($0), timestamp: timestamp, stream: stream, fields: fields) }
    }

    /// Runs the stages, leaving the line in `line` and its labels in
    /// `builder` (valid until the next call); false when dropped.
    func run(line bytes: UnsafeRawBufferPointer, timestamp: Int64, stream: Labels, fields: [Field]) -> Bool {
        for filter in leadingFilters where !filter.matches(bytes: bytes) { return false }
        line = LogLineState(timestamp: timestamp, input: bytes, rewritten: nil)
        builder.reset(stream: stream, fields: fields)
        for stage in stages where !stage.process(&line, &builder) { return false }
        return true
    }

    /// Whether a line with these bytes passes the leading line filters (for
    /// sources that can test cheaper than reading every record).
    public func passesLeadingFilters(_ bytes: UnsafeRawBufferPointer) -> Bool {
        leadingFilters.allSatisfy { $0.matches(bytes: bytes) }
    }

    /// The leading `|=` substrings every kept line contains, for sources
    /// that can skip blocks by a token index.
    public var requiredSubstrings: [String] { leadingFilters.compactMap(\.requiredSubstring) }
}
