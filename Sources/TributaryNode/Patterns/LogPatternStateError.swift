/// Why `patterns.json` was not used (reported as a warning at start).
struct LogPatternStateError: Error, CustomStringConvertible {
    let description: String
}
