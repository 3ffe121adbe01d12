extension LabelMatcher {
    /// The matcher's test on a value (a missing label is "").
    func matches(value: String) -> Bool {
        switch op {
        case .equal: return value == self.value
        case .notEqual: return value != self.value
        case .matchesRegex: return regex?.matchesWhole(value) ?? false
        case .notMatchesRegex: return !(regex?.matchesWhole(value) ?? false)
        }
    }
}
