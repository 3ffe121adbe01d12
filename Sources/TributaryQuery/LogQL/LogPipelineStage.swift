/// One compiled stage of a `LogPipeline`. Stages are classes so that each
/// keeps its scratch buffers between lines; a pipeline (and so its
/// stages) is used by one thread at a time.
protocol LogPipelineStage: AnyObject {
    /// False drops the line. A stage may rewrite `line` and change `labels`.
    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool
}
