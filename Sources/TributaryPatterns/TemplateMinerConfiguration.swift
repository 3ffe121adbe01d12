/// The miner's knobs. One configuration serves every log source: there are
/// no per-source regular expressions. The defaults are what `trib bench
/// patterns` measures (docs/patterns.md has the figures).
public struct TemplateMinerConfiguration: Sendable, Equatable {
    /// Templates kept per miner (one miner per tenant and stream group).
    /// Past it, the least recently matched eighth is forgotten: a line of a
    /// forgotten template starts a new one.
    public var maxTemplates: Int = 1_000

    /// Tokens considered per line; the rest of a longer line is one
    /// variable, so a template's size is bounded whatever the line.
    public var maxTokens: Int = 64

    /// A token longer than this many bytes is a variable (a blob, a path,
    /// a base64 value), never part of a template.
    public var maxLiteralBytes: Int = 64

    /// How many distinct words must occur at one position among templates
    /// that are otherwise equal before the position becomes a variable
    /// (`session opened for user <*>`). Fewer distinct words are taken as
    /// different messages (`cupsd startup` vs `cupsd shutdown`).
    public var distinctWordsForVariable: Int = 3

    /// The same for a `key=value` token whose value is a word: enumerations
    /// such as `user=root` / `user=guest` are more often part of the message.
    public var distinctValuesForKeyVariable: Int = 4

    public init() {}

    /// Throws with the setting's name when a value cannot work.
    public func validate() throws {
        if maxTemplates < 8 { throw TemplateMinerConfigurationError("max_templates must be at least 8, not \(maxTemplates)") }
        if maxTokens < 2 || maxTokens > 1_024 {
            throw TemplateMinerConfigurationError("max_tokens must be between 2 and 1024, not \(maxTokens)")
        }
        if maxLiteralBytes < 1 { throw TemplateMinerConfigurationError("max_literal_bytes must be positive, not \(maxLiteralBytes)") }
        if distinctWordsForVariable < 2 || distinctValuesForKeyVariable < 2 {
            throw TemplateMinerConfigurationError("distinct_words_for_variable and distinct_values_for_key_variable must be at least 2")
        }
    }
}

/// A configuration value that cannot work, named as in the config file.
public struct TemplateMinerConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
