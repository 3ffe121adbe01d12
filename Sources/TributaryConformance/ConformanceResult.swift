/// The outcome of one script: every eval counted once.
public struct ConformanceFileResult: Sendable, Equatable {
    public var file: String
    public var passed = 0
    public var failed = 0
    public var skipped = 0
    public var failures: [ConformanceFailure] = []
    /// Why cases were skipped, and how many for each reason.
    public var skipReasons: [String: Int] = [:]

    public init(file: String) {
        self.file = file
    }

    mutating func skip(_ reason: String) {
        skipped += 1
        skipReasons[reason, default: 0] += 1
    }
}

/// An eval that did not give what the script expects.
public struct ConformanceFailure: Sendable, Equatable {
    public var line: Int
    public var query: String
    /// Expected versus got, in words.
    public var reason: String
}
