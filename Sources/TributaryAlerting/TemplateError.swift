/// A template in a rule's `annotations` or `labels` that Tributary cannot
/// render: what is wrong, where (a character offset into the text) and
/// what is supported instead. Found when the rule file is checked, never
/// when an alert fires.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    /// Zero-based character offset of the problem in the template text.
    public let offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "template error at character \(offset + 1): \(message)" }

    /// What the renderer understands, for error messages and docs.
    public static let supported = """
        supported: {{ $labels.NAME }}, {{ $value }}, {{ $externalLabels.NAME }} (or .Labels.NAME, .Value, .ExternalLabels.NAME), \
        {{ index $labels "NAME" }}, pipes into humanize, humanize1024, humanizePercentage, humanizeDuration, toUpper, toLower, title, \
        printf "FORMAT" ARGS… (verbs %s %d %f %g %e %v %q %%, with width and precision), string and number literals, and {{- -}} trimming
        """
}
