/// A rule's expression returned more series than its group's `limit:`.
struct RuleLimitExceeded: Error, CustomStringConvertible {
    let count: Int
    let limit: Int

    var description: String {
        "the expression returned \(count) series, more than the group's limit of \(limit): nothing raised or recorded; narrow the expression or raise limit"
    }
}
