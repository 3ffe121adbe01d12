import Foundation
import TributaryAPI

/// The table `trib patterns` prints.
enum PatternsTable {
    static func render(_ entries: [LogPatternEntry], windowStart: Double) -> String {
        guard !entries.isEmpty else { return "no patterns in the window\n" }
        let formatter = ISO8601DateFormatter()
        var rows: [[String]] = [["ID", "LINES", "FIRST SEEN", "TREND", "GROUP", "PATTERN"]]
        for entry in entries {
            let first = entry.firstSeen.map { formatter.string(from: Date(timeIntervalSince1970: $0)) } ?? "-"
            let group = (entry.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            rows.append([entry.id ?? "-", String(entry.lines ?? entry.samples.reduce(0) { $0 + Int($1.last ?? 0) }), first,
                         trend(entry, windowStart: windowStart), group, entry.pattern])
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            (0..<5).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[5]
        }.joined(separator: "\n") + "\n"
    }

    /// `new` (first seen in the window), else up/down/steady comparing the
    /// lines of the window's second half with its first.
    static func trend(_ entry: LogPatternEntry, windowStart: Double) -> String {
        if let first = entry.firstSeen, first >= windowStart { return "new" }
        let times = entry.samples.compactMap(\.first)
        guard let low = times.min(), let high = times.max(), high > low else { return "steady" }
        let middle = low + (high - low) / 2
        var early = 0.0
        var late = 0.0
        for sample in entry.samples where sample.count == 2 {
            if sample[0] <= middle { early += Double(sample[1]) } else { late += Double(sample[1]) }
        }
        if late > early * 1.5 { return "up" }
        if late * 1.5 < early { return "down" }
        return "steady"
    }
}
