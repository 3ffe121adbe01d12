/// What a streamed log search hands from its task to the response body.
enum LogStreamEvent: Sendable {
    /// The next bucket's lines, in the order asked.
    case lines([LogLine])
    /// The search is done: its statistics and warnings (quarantined blocks).
    case finished(LogSearch.Statistics, [String])
}
