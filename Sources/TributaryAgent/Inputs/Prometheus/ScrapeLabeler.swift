import TributaryFormats
import TributaryModel

/// A scraped sample's labels as Prometheus stores them: the target's
/// labels (`job`, `instance`, the input's and the file_sd group's) are
/// attached; where the sample has one of the same name, `honor_labels:
/// false` keeps the sample's as `exported_<name>` and `true` keeps the
/// sample's and drops the target's. Labels with empty values are dropped.
/// The agent-wide labels (`host`, `env`, …) are added last, only where the
/// series has no label of that name, like Prometheus' external labels.
struct ScrapeLabeler: Sendable {
    let targetLabels: [KeyValue]
    let agentLabels: Labels
    let honorLabels: Bool

    /// Nil when the sample's labels cannot form a label set (an invalid
    /// name cannot come out of the parser, so only a clash of a
    /// `__name__` label, which is dropped, or a bug lands here).
    func labels(_ scraped: [KeyValue]) -> Labels? {
        var pairs: [String: String] = [:]
        pairs.reserveCapacity(scraped.count + targetLabels.count + agentLabels.count)
        for pair in scraped where !pair.value.isEmpty && pair.key != "__name__" { pairs[pair.key] = pair.value }
        for pair in targetLabels {
            if let existing = pairs[pair.key] {
                if honorLabels { continue }
                var exported = "exported_" + pair.key
                while pairs[exported] != nil { exported = "exported_" + exported }
                pairs[exported] = existing
            }
            pairs[pair.key] = pair.value
        }
        for label in agentLabels where pairs[label.name] == nil { pairs[label.name] = label.value }
        return try? Labels(pairs)
    }

    /// The labels of the target's own series (`up`, `scrape_duration_seconds`, …).
    var reportLabels: Labels {
        labels([]) ?? agentLabels
    }
}
