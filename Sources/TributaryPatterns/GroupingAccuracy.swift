/// Grouping accuracy as log-parsing papers define it (Zhu et al., "Tools
/// and Benchmarks for Automated Log Parsing"): the fraction of lines whose
/// parsed group — the lines given the same template — is exactly the set of
/// lines that share their ground-truth event.
public enum GroupingAccuracy {
    public static func of<Parsed: Hashable, Truth: Hashable>(parsed: [Parsed], truth: [Truth]) -> Double {
        precondition(parsed.count == truth.count, "one parsed group per ground-truth label")
        guard !parsed.isEmpty else { return 1 }
        var parsedGroups: [Parsed: [Int]] = [:]
        var truthSizes: [Truth: Int] = [:]
        for (index, group) in parsed.enumerated() {
            parsedGroups[group, default: []].append(index)
            truthSizes[truth[index], default: 0] += 1
        }
        var correct = 0
        for (_, lines) in parsedGroups {
            let event = truth[lines[0]]
            // Exact: every line of the group has the event and no line of
            // the event is elsewhere (sizes equal).
            if truthSizes[event] == lines.count, lines.allSatisfy({ truth[$0] == event }) { correct += lines.count }
        }
        return Double(correct) / Double(parsed.count)
    }

    /// Mines `lines` with a fresh miner in the given order and scores the
    /// final grouping (each line's template id resolved after all merges).
    public static func mine(_ lines: [String], truth: [String], configuration: TemplateMinerConfiguration) -> Double {
        let miner = TemplateMiner(configuration: configuration)
        let ids = lines.map { miner.learn($0) }
        let final = ids.map { miner.resolve($0) ?? $0 }
        return of(parsed: final, truth: truth)
    }
}
