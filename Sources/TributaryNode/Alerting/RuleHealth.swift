/// How a rule's last evaluation went, for `/api/v1/rules` and `trib alerts`.
struct RuleHealth: Sendable {
    /// `ok`, `err`, or `unknown` before the first evaluation here.
    var health = "unknown"
    var lastError = ""
    /// ns since the epoch.
    var lastEvaluation: Int64?
    var seconds = 0.0
}
