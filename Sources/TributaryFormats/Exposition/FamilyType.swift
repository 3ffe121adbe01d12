/// A metric family's `# TYPE`, which decides its samples' kind.
enum FamilyType: String {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown, untyped

    /// Suffixes that name a family's sample series.
    static let suffixes = ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"]

    /// The kind of the family's sample whose name ends in `suffix` ("" for
    /// the family's own name): counting series are counters, the rest
    /// (quantiles, `_created` times, gauge histograms) gauges.
    func kind(suffix: String) -> ExposedSample.Kind {
        switch (self, suffix) {
        case (.counter, ""), (.counter, "_total"): return .counter
        case (.histogram, "_bucket"), (.histogram, "_count"), (.histogram, "_sum"): return .counter
        case (.summary, "_count"), (.summary, "_sum"): return .counter
        default: return .gauge
        }
    }
}
