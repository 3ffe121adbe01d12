import TributaryModel

/// What an incident is about: the scope labels of its trigger (`service`,
/// `host`, `cluster`, …). `app` and `service` name the same thing in
/// different sources (logs often say app, metrics service), so each
/// stands in for the other when matching.
public struct IncidentScope: Sendable, Equatable, Hashable {
    /// Scope label names and values, sorted by name.
    public var pairs: [Label]

    public static let defaultNames = ["service", "app", "host", "cluster"]
    /// `app` is matched as `service`.
    static func dimension(_ name: String) -> String { name == "app" ? "service" : name }

    public init(labels: Labels, names: [String] = IncidentScope.defaultNames) {
        pairs = names.sorted().compactMap { name in labels[name].map { Label(name, $0) } }
    }

    public var isEmpty: Bool { pairs.isEmpty }

    /// The service (or app) the scope names, for titles.
    public var subject: String? {
        pairs.first { $0.name == "service" }?.value ?? pairs.first { $0.name == "app" }?.value
            ?? pairs.first { $0.name == "host" }?.value ?? pairs.first?.value
    }

    /// How much of this scope `labels` share, from 0 (another service or
    /// app: never this incident's) to 1 (all of it). A scope label the
    /// candidate lacks counts half; so does a different host or cluster,
    /// because a deploy posted from a CI runner carries the runner's host.
    public func match(_ labels: Labels) -> Double {
        var wanted: [String: String] = [:]
        for pair in pairs where wanted[Self.dimension(pair.name)] == nil { wanted[Self.dimension(pair.name)] = pair.value }
        guard !wanted.isEmpty else { return 0 }
        var matched = 0.0
        var anyMatch = false
        for (dimension, value) in wanted {
            let candidate = dimension == "service" ? (labels["service"] ?? labels["app"]) : labels[dimension]
            if candidate == value {
                matched += 1
                anyMatch = true
            } else if dimension == "service", candidate != nil {
                return 0
            } else {
                matched += 0.5
            }
        }
        return anyMatch ? matched / Double(wanted.count) : 0
    }

    /// Whether a problem in `other` belongs with one in this scope: both
    /// name the same service (or app), and every other dimension both
    /// have (host, cluster) agrees. `{service=checkout, host=web-1}` and
    /// `{service=checkout}` join; `host=web-1` and `host=web-2` do not.
    public func joins(_ other: IncidentScope) -> Bool {
        if self == other { return true }
        var mine: [String: String] = [:]
        var theirs: [String: String] = [:]
        for pair in pairs where mine[Self.dimension(pair.name)] == nil { mine[Self.dimension(pair.name)] = pair.value }
        for pair in other.pairs where theirs[Self.dimension(pair.name)] == nil { theirs[Self.dimension(pair.name)] = pair.value }
        guard let service = mine["service"], theirs["service"] == service else { return false }
        return mine.allSatisfy { dimension, value in theirs[dimension].map { $0 == value } ?? true }
    }

    public var dictionary: [String: String] { Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }) }
}
