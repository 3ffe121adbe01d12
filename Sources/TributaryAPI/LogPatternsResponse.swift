/// `GET /loki/api/v1/patterns`: Loki's shape (`status`, `data` as a list of
/// `{pattern, samples: [[unix seconds, lines], …]}`), with Tributary's
/// additions that Loki clients ignore: `id`, `labels`, `first_seen`, `lines`.
public struct LogPatternsResponse: Codable, Sendable, Equatable {
    public var status: String
    public var data: [LogPatternEntry]

    public init(status: String = "success", data: [LogPatternEntry]) {
        self.status = status
        self.data = data
    }
}
