import TributaryModel
import TributaryQuery

/// One `eval` command of a test script and what it expects.
struct EvalCase {
    enum Expectation {
        case any
        case message(String)
        case regex(CompiledRegex)

        func matches(_ text: String) -> Bool {
            switch self {
            case .any: return true
            case .message(let message): return message == text
            case .regex(let regex): return regex.matchesPart(text)
            }
        }
    }

    struct ExpectedSeries {
        var labels: Labels
        var points: [SeriesDescription.Point]
        /// 1-based position among the expected lines (for `ordered`).
        var position: Int
    }

    var line: Int
    var query: String
    var isRange: Bool
    /// Instant: the time; range: start, end and step (ns).
    var start: Int64
    var end: Int64
    var step: Int64
    var ordered = false
    var fail = false
    var failExpectation: Expectation?
    var warnings: [Expectation] = []
    var infos: [Expectation] = []
    var noWarnings = false
    var noInfos = false
    var legacyWarn = false
    var legacyInfo = false
    var expectedScalar: Double?
    var expectedString: String?
    var expectedSeries: [ExpectedSeries] = []
    /// `expect range vector from … to … step …` on an instant query.
    var rangeVector: (start: Int64, end: Int64, step: Int64)?
    /// An expected value is a native histogram.
    var expectsHistogram = false
    /// The script could not be read (counted as a failure).
    var malformed: String?
}
