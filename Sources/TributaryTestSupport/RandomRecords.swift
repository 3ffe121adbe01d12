import NIOCore
import TributaryModel

/// Random but valid records for round-trip and property tests: awkward
/// timestamps (negative, far apart), empty and binary messages, Unicode
/// label values, repeated and distinct label sets, NaN and infinite values.
public struct RandomRecords {
    public var generator: SeededGenerator

    public init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    public mutating func records(count: Int) -> [Record] {
        let labelPool = (0..<max(1, Int.random(in: 1...6, using: &generator))).map { _ in labels() }
        var timestamp = Int64.random(in: -1_000_000_000_000...2_000_000_000_000_000_000, using: &generator)
        return (0..<count).map { _ in
            timestamp = timestamp.addingReportingOverflow(Int64.random(in: -1_000_000_000...10_000_000_000, using: &generator)).partialValue
            let labels = labelPool.randomElement(using: &generator)!
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<7:
                return .log(LogRecord(
                    timestamp: timestamp, severity: Severity.allCases.randomElement(using: &generator)!,
                    labels: labels, message: bytes(maxCount: 400), fields: fields()))
            case 7..<9:
                return .metric(MetricSample(
                    name: text(maxCount: 30, alphabet: "abcdefghijklmnopqrstuvwxyz_"), labels: labels,
                    timestamp: timestamp, value: value(), kind: MetricKind.allCases.randomElement(using: &generator)!))
            default:
                return .event(ChangeEvent(
                    type: ["deploy", "config", "incident", ""].randomElement(using: &generator)!,
                    labels: labels, timestamp: timestamp, message: bytes(maxCount: 100)))
            }
        }
    }

    public mutating func labels() -> Labels {
        let names = ["host", "app", "source", "env", "le", "_x", "cpu", "Zone9"]
        let count = Int.random(in: 0...names.count, using: &generator)
        let chosen = names.shuffled(using: &generator).prefix(count)
        let pairs = chosen.map { Label($0, text(maxCount: 20, alphabet: "abc-xyz.0123 éü日本🚀")) }
        return try! Labels(pairs)
    }

    private mutating func fields() -> [Field] {
        guard Bool.random(using: &generator) else { return [] }
        return (0..<Int.random(in: 1...4, using: &generator)).map { index in
            Field("f\(index).\(text(maxCount: 5, alphabet: "ab"))", text(maxCount: 40, alphabet: "value =\"\\日"))
        }
    }

    private mutating func value() -> Double {
        switch Int.random(in: 0..<8, using: &generator) {
        case 0: return .nan
        case 1: return .infinity
        case 2: return -0.0
        case 3: return Double(Int.random(in: 0...1_000_000, using: &generator))
        default: return Double.random(in: -1e12...1e12, using: &generator)
        }
    }

    private mutating func bytes(maxCount: Int) -> ByteBuffer {
        let count = Int.random(in: 0...maxCount, using: &generator)
        return ByteBuffer(bytes: (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    private mutating func text(maxCount: Int, alphabet: String) -> String {
        let characters = Array(alphabet)
        let count = Int.random(in: 0...maxCount, using: &generator)
        return String((0..<count).map { _ in characters.randomElement(using: &generator)! })
    }
}
