extension Duration {
    /// The duration in nanoseconds, nil when it does not fit an Int64
    /// (about 292 years): configuration never wraps around.
    var nanoseconds: Int64? {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (total, sumOverflow) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return sumOverflow ? nil : total
    }
}
