import TributaryQuery

/// How the baseline treats repeating shapes.
public enum Seasonality: Sendable, Equatable, CustomStringConvertible {
    /// A day or a week when the history shows it (see `SeasonalityDetector`).
    case auto
    /// The recent window only.
    case none
    /// The same time in earlier cycles of this period (ns).
    case period(Int64)

    public static let daily = Seasonality.period(SeasonalityDetector.day)
    public static let weekly = Seasonality.period(SeasonalityDetector.week)

    /// `auto`, `none`, `daily`, `weekly`, or a duration such as `12h`; nil otherwise.
    public init?(text: String, duration: (String) -> Int64?) {
        switch text {
        case "auto": self = .auto
        case "none": self = .none
        case "daily": self = .daily
        case "weekly": self = .weekly
        default:
            guard let period = duration(text), period > 0 else { return nil }
            self = .period(period)
        }
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .none: return "none"
        case .period(let period):
            if period == SeasonalityDetector.day { return "daily" }
            if period == SeasonalityDetector.week { return "weekly" }
            return "\(period / 1_000_000_000)s"
        }
    }
}
