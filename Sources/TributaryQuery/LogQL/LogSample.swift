/// One extracted value and its time, kept only by the functions that need
/// every value of a window (`quantile_over_time`, `rate_counter`).
public struct LogSample: Sendable, Equatable {
    public var time: Int64
    public var value: Double

    public init(time: Int64, value: Double) {
        self.time = time
        self.value = value
    }
}
