import Foundation

/// Builds the Prometheus text exposition format (version 0.0.4).
public struct PrometheusText: Sendable {
    public init() {}

    public private(set) var output = ""

    private mutating func header(_ name: String, _ help: String, _ type: String) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    public mutating func counter(_ name: String, _ help: String, _ value: Int) {
        header(name, help, "counter")
        output += "\(name) \(value)\n"
    }

    public mutating func gauge(_ name: String, _ help: String, _ value: Int) {
        header(name, help, "gauge")
        output += "\(name) \(value)\n"
    }

    /// A counter with one label; `always` lists values shown even at zero,
    /// so dashboards and alerts find the series before the first event.
    public mutating func counter(_ name: String, _ help: String, labelled label: String, _ values: [String: Int], always: [String] = []) {
        header(name, help, "counter")
        series(name, label, values, always)
    }

    public mutating func gauge(_ name: String, _ help: String, labelled label: String, _ values: [String: Int]) {
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

    /// A gauge whose series have several labels each.
    public mutating func gauge(_ name: String, _ help: String, series: [(labels: [(String, String)], value: Int)]) {
        header(name, help, "gauge")
        for (labels, value) in series {
            let text = labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",")
            output += "\(name){\(text)} \(value)\n"
        }
    }

    /// A histogram from per-bucket counts (`buckets` has one more entry
    /// than `bounds`: the +Inf bucket).
    public mutating func histogram(_ name: String, _ help: String, bounds: [Double], buckets: [Int], sum: Double, count: Int) {
        header(name, help, "histogram")
        var cumulative = 0
        for (index, bound) in bounds.enumerated() {
            cumulative += buckets[index]
            output += "\(name)_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        cumulative += buckets.last ?? 0
        output += "\(name)_bucket{le=\"+Inf\"} \(cumulative)\n"
        output += "\(name)_sum \(sum)\n\(name)_count \(count)\n"
    }

    public static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
