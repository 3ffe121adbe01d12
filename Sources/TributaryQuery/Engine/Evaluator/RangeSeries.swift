import TributaryModel

/// One series of a range vector: raw points (stale markers removed) from
/// the store or from a subquery's steps, read through moving windows.
struct RangeSeries {
    var labels: Labels
    var timestamps: [Int64]
    var values: [Double]
    /// Set for subquery results whose inner expression dropped the name.
    var dropName: Bool
}
