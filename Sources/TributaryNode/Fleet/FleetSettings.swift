import TributaryConfig

/// `fleet:` in node.yaml: when an agent counts as missing and a source as
/// silent (docs/fleet.md).
///
/// ```yaml
/// fleet:
///   missing_after: 5m     # an agent not heard from this long is `missing` (agents report every 60 s)
///   silent_after: 15m     # a source is never silent before this much silence…
///   silent_factor: 10     # …nor before this many of its usual intervals between records
///   max_agents: 100000    # per node: agents beyond are not tracked (counted)
///   max_sources: 10000    # per node: sources beyond are not tracked (counted)
///   forget_after: 7d      # agents and sources not heard from this long are forgotten
/// ```
public struct FleetSettings: Sendable, Equatable {
    public var missingAfter: Duration = .seconds(300)
    public var silentAfter: Duration = .seconds(900)
    public var silentFactor: Double = 10
    public var maxAgents = 100_000
    public var maxSources = 10_000
    public var forgetAfter: Duration = .seconds(7 * 86_400)

    public init() {}

    static func read(_ section: ConfigReader) throws(ConfigError) -> FleetSettings {
        var settings = FleetSettings()
        settings.missingAfter = try positive(section, "missing_after", settings.missingAfter)
        settings.silentAfter = try positive(section, "silent_after", settings.silentAfter)
        settings.silentFactor = Double(try section.int("silent_factor", default: 10, range: 1...1000))
        settings.maxAgents = try section.int("max_agents", default: settings.maxAgents, range: 1...10_000_000)
        settings.maxSources = try section.int("max_sources", default: settings.maxSources, range: 1...10_000_000)
        settings.forgetAfter = try positive(section, "forget_after", settings.forgetAfter)
        try section.finish()
        return settings
    }

    private static func positive(_ section: ConfigReader, _ key: String, _ fallback: Duration) throws(ConfigError) -> Duration {
        let value = try section.duration(key, default: fallback)
        guard value > .zero else { throw section.error(key, "must be a positive duration such as 5m") }
        return value
    }
}
