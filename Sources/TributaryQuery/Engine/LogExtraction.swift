/// `label="path"` in `| json label="a.b[0]"` or `| logfmt label="key"`;
/// `| json label` is shorthand for `label="label"`.
public struct LogExtraction: Sendable, Equatable {
    public var label: String
    public var path: String

    public init(label: String, path: String) {
        self.label = label
        self.path = path
    }
}
