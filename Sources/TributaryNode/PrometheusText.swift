import Foundation
import TributaryStorage

/// Builds the Prometheus text exposition format (version 0.0.4).
struct PrometheusText {
    private(set) var output = ""

    private mutating func header(_ name: String, _ help: String, _ type: String) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func counter(_ name: String, _ help: String, _ value: Int) {
        header(name, help, "counter")
        output += "\(name) \(value)\n"
    }

    mutating func gauge(_ name: String, _ help: String, _ value: Int) {
        header(name, help, "gauge")
        output += "\(name) \(value)\n"
    }

    /// A counter with one label; `always` lists values shown even at zero,
    /// so dashboards and alerts find the series before the first event.
    mutating func counter(_ name: String, _ help: String, labelled label: String, _ values: [String: Int], always: [String] = []) {
        header(name, help, "counter")
        series(name, label, values, always)
    }

    mutating func gauge(_ name: String, _ help: String, labelled label: String, _ values: [String: Int]) {
        header(name, help, "gauge")
        series(name, label, values, [])
    }

    private mutating func series(_ name: String, _ label: String, _ values: [String: Int], _ always: [String]) {
        var all = values
        for key in always where all[key] == nil { all[key] = 0 }
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            output += "\(name){\(label)=\"\(Self.escape(key))\"} \(value)\n"
        }
    }

    mutating func histogram(_ name: String, _ help: String, _ statistics: WALStatistics) {
        header(name, help, "histogram")
        var cumulative = 0
        for (index, bound) in WALStatistics.bucketBounds.enumerated() {
            cumulative += statistics.syncBuckets[index]
            output += "\(name)_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        cumulative += statistics.syncBuckets.last ?? 0
        output += "\(name)_bucket{le=\"+Inf\"} \(cumulative)\n"
        output += "\(name)_sum \(statistics.syncSecondsTotal)\n\(name)_count \(statistics.syncs)\n"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
