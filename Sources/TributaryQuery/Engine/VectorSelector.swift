/// `name{matchers} offset D @ T`: the series to read.
public struct VectorSelector: Sendable, Equatable {
    /// The metric name if written before the braces, for printing; it is
    /// also in `matchers` as `__name__="name"`.
    public var name: String?
    /// Every matcher including the `__name__` one; never empty, and not all
    /// matching the empty string (the parser refuses `{}` and `{a=""}`).
    public var matchers: [LabelMatcher]
    /// `offset 5m` (ns, may be negative).
    public var offset: Int64
    /// `@ 1700000000`, `@ start()`, `@ end()`.
    public var at: AtModifier?

    public init(name: String?, matchers: [LabelMatcher], offset: Int64 = 0, at: AtModifier? = nil) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
        self.at = at
    }
}
