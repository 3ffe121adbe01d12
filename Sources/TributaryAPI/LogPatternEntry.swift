/// One pattern of `LogPatternsResponse`.
public struct LogPatternEntry: Codable, Sendable, Equatable {
    /// The template, variables as `<*>`.
    public var pattern: String
    /// `[unix seconds, lines]` per step with lines, ascending.
    public var samples: [[Int64]]
    /// The pattern's id, the `pattern_id` label of `tributary_log_pattern_lines`.
    public var id: String?
    /// The stream group: `app` or `service`, else the stream's labels.
    public var labels: [String: String]?
    /// When the pattern's first line was seen, unix seconds.
    public var firstSeen: Double?
    /// Lines in the window.
    public var lines: Int?

    enum CodingKeys: String, CodingKey {
        case pattern, samples, id, labels, lines
        case firstSeen = "first_seen"
    }

    public init(pattern: String, samples: [[Int64]], id: String? = nil, labels: [String: String]? = nil,
                firstSeen: Double? = nil, lines: Int? = nil) {
        self.pattern = pattern
        self.samples = samples
        self.id = id
        self.labels = labels
        self.firstSeen = firstSeen
        self.lines = lines
    }
}
