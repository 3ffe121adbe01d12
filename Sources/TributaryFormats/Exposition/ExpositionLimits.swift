/// What one exposition may hold, so that a target (which the scraper does
/// not control) cannot make it use unbounded memory.
public struct ExpositionLimits: Sendable {
    /// Samples per exposition (`sample_limit`); one more fails the parse.
    public var maxSamples = 50_000
    /// Bytes of one line, comments included.
    public var maxLineBytes = 64 << 10
    /// Labels of one sample.
    public var maxLabels = 64
    /// `# TYPE` lines (each names one family).
    public var maxFamilies = 50_000

    public init(maxSamples: Int = 50_000) {
        self.maxSamples = maxSamples
        self.maxFamilies = max(maxSamples, 1_000)
    }
}
