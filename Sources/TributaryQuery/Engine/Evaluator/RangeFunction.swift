/// The functions that read a range vector, one value per window.
enum RangeFunction: String {
    case rate, increase, delta, irate, idelta, deriv, changes, resets
    case predictLinear = "predict_linear"
    case doubleExponentialSmoothing = "double_exponential_smoothing"
    case avgOverTime = "avg_over_time", minOverTime = "min_over_time", maxOverTime = "max_over_time"
    case sumOverTime = "sum_over_time", countOverTime = "count_over_time"
    case stddevOverTime = "stddev_over_time", stdvarOverTime = "stdvar_over_time"
    case lastOverTime = "last_over_time", firstOverTime = "first_over_time", presentOverTime = "present_over_time"
    case quantileOverTime = "quantile_over_time", madOverTime = "mad_over_time"
    case absentOverTime = "absent_over_time"
    case tsOfFirstOverTime = "ts_of_first_over_time", tsOfLastOverTime = "ts_of_last_over_time"
    case tsOfMaxOverTime = "ts_of_max_over_time", tsOfMinOverTime = "ts_of_min_over_time"

    /// The position of the range-vector argument.
    var rangeArgument: Int { self == .quantileOverTime ? 1 : 0 }

    /// last_over_time and first_over_time act like an offset and keep the name.
    var keepsName: Bool { self == .lastOverTime || self == .firstOverTime }

    /// Functions that sum the counter resets inside a window.
    var readsCounterResets: Bool { self == .rate || self == .increase }
}
