import TributaryModel

/// One point of a band series (`<metric>:baseline`, `:upper`, `:lower`)
/// for the rules engine to write back as a recording rule writes its
/// series, so charts draw the band and other rules can use it.
public struct BandSample: Sendable, Equatable {
    /// The judged series' labels with `__name__` set to the band's name.
    public var labels: Labels
    public var time: Int64
    public var value: Double

    public init(labels: Labels, time: Int64, value: Double) {
        self.labels = labels
        self.time = time
        self.value = value
    }
}
