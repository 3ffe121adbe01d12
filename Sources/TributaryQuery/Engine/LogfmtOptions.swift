/// `| logfmt [--strict] [--keep-empty] [label="key", …]`.
public struct LogfmtOptions: Sendable, Equatable {
    /// `--strict`: a malformed pair is an error (`__error__`), not skipped.
    public var strict: Bool
    /// `--keep-empty`: keep `key=` pairs with an empty value.
    public var keepEmpty: Bool
    /// Empty means every key.
    public var extractions: [LogExtraction]

    public init(strict: Bool = false, keepEmpty: Bool = false, extractions: [LogExtraction] = []) {
        self.strict = strict
        self.keepEmpty = keepEmpty
        self.extractions = extractions
    }
}
