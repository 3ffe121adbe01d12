import NIOCore
import TributaryModel
import TributaryQuery

/// LogQL range aggregation partials between nodes (QUERY_LOG_RANGE's
/// answer): RECORDS pages of log records, one or more per output series,
/// labelled with the series' labels plus `__partial_range__` (which range
/// aggregation of the query, in order of appearance), whose line holds
/// that series' interval aggregates as text, one interval per line:
///
///     k count sum min max first_ns first_value last_ns last_value mean m2 [t:v,t:v,…]
///
/// Numbers are written in Swift's shortest round-trip form (`nan`, `inf`),
/// so merged results equal a single node's exactly. A series with many
/// intervals is cut into records of at most `maxBytes` of text.
enum LogRangePartialsCoding {
    static let rangeLabel = "__partial_range__"
    static let maxBytes = 32 * 1024

    static func records(_ partials: [LogRangePartials], time: Int64) throws -> [Record] {
        var records: [Record] = []
        for (index, partial) in partials.enumerated() {
            for (labels, series) in partial.series {
                let tagged = try Labels(labels.map { $0 } + [Label(rangeLabel, String(index))])
                var text = ""
                func flush() {
                    guard !text.isEmpty else { return }
                    records.append(.log(LogRecord(timestamp: time, severity: .unknown, labels: tagged, message: ByteBuffer(string: text))))
                    text = ""
                }
                for (interval, aggregate) in zip(series.intervals, series.aggregates) {
                    text += line(interval, aggregate)
                    if text.utf8.count >= maxBytes { flush() }
                }
                flush()
            }
        }
        return records
    }

    private static func line(_ interval: Int32, _ a: LogIntervalAggregate) -> String {
        var text = "\(interval) \(a.count) \(a.sum) \(a.min) \(a.max) \(a.firstTime) \(a.firstValue) \(a.lastTime) \(a.lastValue) \(a.mean) \(a.m2)"
        if let samples = a.samples {
            text += " " + samples.map { "\($0.time):\($0.value)" }.joined(separator: ",")
        }
        return text + "\n"
    }

    /// Adds the partials in `records` (one peer's answer) to `partials`
    /// (one per range aggregation of the query, in order).
    static func merge(_ records: [Record], into partials: inout [LogRangePartials]) throws {
        var decoded: [[Labels: LogSeriesIntervals]] = Array(repeating: [:], count: partials.count)
        for case .log(let record) in records {
            guard let tag = record.labels[rangeLabel], let index = Int(tag), partials.indices.contains(index) else {
                throw LogRangePartialsError("a partial without a valid \(rangeLabel) label")
            }
            let labels = try Labels(record.labels.filter { $0.name != rangeLabel })
            var intervals: [Int32] = []
            var aggregates: [LogIntervalAggregate] = []
            for line in String(buffer: record.message).split(separator: "\n") {
                let (interval, aggregate) = try parse(line)
                guard interval >= 0, interval > (intervals.last ?? -1) else { throw LogRangePartialsError("partial intervals out of order") }
                intervals.append(interval)
                aggregates.append(aggregate)
            }
            decoded[index][labels, default: LogSeriesIntervals()].merge(LogSeriesIntervals(intervals: intervals, aggregates: aggregates))
        }
        for index in partials.indices {
            try partials[index].merge(LogRangePartials(grid: partials[index].grid, series: decoded[index]))
        }
    }

    private static func parse(_ line: Substring) throws -> (Int32, LogIntervalAggregate) {
        let fields = line.split(separator: " ")
        guard fields.count == 11 || fields.count == 12, let interval = Int32(fields[0]), let count = Int64(fields[1]),
              let sum = Double(fields[2]), let min = Double(fields[3]), let max = Double(fields[4]),
              let firstTime = Int64(fields[5]), let firstValue = Double(fields[6]),
              let lastTime = Int64(fields[7]), let lastValue = Double(fields[8]),
              let mean = Double(fields[9]), let m2 = Double(fields[10]) else {
            throw LogRangePartialsError("a malformed partial line: \(line.prefix(200))")
        }
        var aggregate = LogIntervalAggregate()
        aggregate.count = count
        aggregate.sum = sum
        aggregate.min = min
        aggregate.max = max
        aggregate.firstTime = firstTime
        aggregate.firstValue = firstValue
        aggregate.lastTime = lastTime
        aggregate.lastValue = lastValue
        aggregate.mean = mean
        aggregate.m2 = m2
        if fields.count == 12 {
            aggregate.samples = try fields[11].split(separator: ",").map { pair in
                let parts = pair.split(separator: ":")
                guard parts.count == 2, let time = Int64(parts[0]), let value = Double(parts[1]) else {
                    throw LogRangePartialsError("a malformed partial sample: \(pair.prefix(100))")
                }
                return LogSample(time: time, value: value)
            }
        }
        return (interval, aggregate)
    }
}

/// A peer's LogQL partials that do not decode.
struct LogRangePartialsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
