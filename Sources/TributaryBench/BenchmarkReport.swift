/// One line of benchmark output: ordered figures, printed either as one JSON
/// object (`--json`, for comparing across commits) or as aligned text.
public struct BenchmarkReport: Sendable {
    public enum Value: Sendable {
        case number(Double, decimals: Int)
        case integer(Int)
        case text(String)
    }

    public let bench: String
    public private(set) var figures: [(name: String, value: Value)] = []

    public init(bench: String) {
        self.bench = bench
    }

    public mutating func add(_ name: String, _ value: Double, decimals: Int = 1) {
        figures.append((name, .number(value, decimals: decimals)))
    }

    public mutating func add(_ name: String, _ value: Int) {
        figures.append((name, .integer(value)))
    }

    public mutating func add(_ name: String, _ value: String) {
        figures.append((name, .text(value)))
    }

    /// Adds `other`'s figures after these (a bench that prints figures as it
    /// measures them gathers them into one report at the end).
    public mutating func append(_ other: BenchmarkReport) {
        figures += other.figures
    }

    /// `{"bench":"codec","encode_mb_per_s":151.2,…}`
    public var json: String {
        var parts = ["\"bench\":\(Self.quoted(bench))"]
        for (name, value) in figures {
            parts.append("\(Self.quoted(name)):\(Self.render(value, json: true))")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// Aligned `name  value` lines under the bench's name; a short report
    /// (a per-file ratio) stays on one line.
    public var text: String {
        if figures.count <= 2 {
            return ([bench] + figures.map { "\($0.name) \(Self.render($0.value, json: false))" }).joined(separator: "  ")
        }
        let width = figures.map(\.name.count).max() ?? 0
        return ([bench] + figures.map { name, value in
            "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Self.render(value, json: false)
        }).joined(separator: "\n")
    }

    private static func render(_ value: Value, json: Bool) -> String {
        switch value {
        case .number(let number, let decimals):
            guard number.isFinite else { return json ? "null" : "\(number)" }
            return formatted(number, decimals: decimals)
        case .integer(let integer):
            return String(integer)
        case .text(let text):
            return json ? quoted(text) : text
        }
    }

    /// Fixed-point without Foundation's locale-dependent formatting.
    static func formatted(_ number: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(number) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = number < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
    }

    private static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
