/// A name in `| drop`/`| keep`, optionally with a matcher that must also hold.
public struct LabelSelection: Sendable, Equatable {
    public var name: String
    /// `method="GET"` in `| drop method="GET"`; nil for a bare name.
    public var matcher: LabelMatcher?

    public init(name: String, matcher: LabelMatcher? = nil) {
        self.name = name
        self.matcher = matcher
    }
}
