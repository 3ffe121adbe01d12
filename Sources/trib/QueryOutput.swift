import Foundation
import TributaryAPI

/// Aligned, human-readable query results.
enum QueryOutput {
    /// `TIME  SEVERITY  LABELS  LINE`, columns as wide as their widest value.
    static func logs(_ lines: [QueryLogLine], colour: Bool) -> String {
        let rows: [(time: String, severity: String, labels: String, line: String)] = lines.map { line in
            let labelText = line.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let severity = line.event.map { "event:\($0)" } ?? (line.severity ?? "")
            return (line.time, severity, labelText, line.line)
        }
        let severityWidth = rows.map(\.severity.count).max() ?? 0
        let labelWidth = min(60, rows.map(\.labels.count).max() ?? 0)
        var output = ""
        for row in rows {
            let severity = row.severity.padding(toLength: severityWidth, withPad: " ", startingAt: 0)
            let labels = row.labels.count > labelWidth ? row.labels : row.labels.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            let coloured = colour ? paint(severity, for: row.severity) : severity
            output += "\(row.time)  \(coloured)  \(labels)  \(row.line)\n"
        }
        return output
    }

    private static func paint(_ text: String, for severity: String) -> String {
        let code: String
        switch severity {
        case "emergency", "alert", "critical": code = "1;31"
        case "error": code = "31"
        case "warning": code = "33"
        case "notice": code = "36"
        case "debug": code = "2"
        default:
            if severity.hasPrefix("event:") { code = "35" } else { return text }
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// Each series: its labels, then `TIME  VALUE` rows.
    static func matrix(_ series: [QuerySeries]) -> String {
        var output = ""
        for entry in series {
            output += "{" + entry.metric.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}\n"
            for point in entry.values {
                output += "  \(format(point.seconds))  \(point.value)\n"
            }
        }
        return output
    }

    /// An instant vector: `{labels}  VALUE` per series.
    static func vector(_ series: [QuerySeries]) -> String {
        series.map { entry in
            let labels = "{" + entry.metric.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
            return labels + "  " + (entry.values.first?.value ?? "") + "\n"
        }.joined()
    }

    private static func format(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
