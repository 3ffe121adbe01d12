import Foundation
import TributaryDurability
import TributaryPatterns

/// `patterns.json` in the node's data directory: every group's templates
/// and counts, so a restart keeps patterns and first-seen times. Written
/// whole and atomically (`DurableFile.replace`) at each flush and at
/// shutdown; lines counted after the last write and replayed from the
/// write-ahead log at start are counted again (counts are approximate
/// across a crash, never lost).
struct LogPatternStateFile: Codable {
    static let name = "patterns.json"
    static let version = 1

    struct Token: Codable {
        var bytes: Data
        var variable: Bool
    }

    struct Template: Codable {
        var id: UInt64
        var tokens: [Token]
        var lines: Int
        var firstSeen: Int64
        /// [bucket start ns, lines] pairs.
        var buckets: [[Int64]]
    }

    struct Group: Codable {
        var tenant: String
        var labels: [String: String]
        var templates: [Template]
    }

    var version: Int
    var groups: [Group]

    static func template(_ template: LogTemplate, lines: Int, counts: LogPatternCounts) -> Template {
        Template(
            id: template.id,
            tokens: template.tokens.map { Token(bytes: Data($0.bytes), variable: $0.isVariable) },
            lines: lines,
            firstSeen: counts.firstSeen,
            buckets: counts.buckets.map { [$0.start, Int64($0.lines)] }
        )
    }

    static func restore(_ saved: Template) -> (LogTemplate, LogPatternCounts) {
        let tokens = saved.tokens.map { token in
            token.variable ? TemplateToken(variableAfter: [UInt8](token.bytes)) : TemplateToken(literal: [UInt8](token.bytes))
        }
        var counts = LogPatternCounts(firstSeen: saved.firstSeen)
        counts.buckets = saved.buckets.compactMap { pair in
            guard pair.count == 2, pair[1] >= 0, pair[1] <= Int64(Int.max) else { return nil }
            return (pair[0], Int(pair[1]))
        }.sorted { $0.start < $1.start }
        return (LogTemplate(id: saved.id, tokens: tokens), counts)
    }
}
