import TributaryModel
import TributaryQuery

/// A `LogLineSource` over lines held in memory, as a node's would be over
/// its blocks: filters by stream matchers and time, hands each line's bytes
/// without copying.
struct MemoryLogLines: LogLineSource {
    struct Record {
        var stream: Labels
        var fields: [Field]
        var timestamp: Int64
        var line: [UInt8]
    }

    var records: [Record] = []

    mutating func append(stream: Labels, timestamp: Int64, line: String, fields: [Field] = []) {
        records.append(Record(stream: stream, fields: fields, timestamp: timestamp, line: Array(line.utf8)))
    }

    func lines(matching matchers: [LabelMatcher], from: Int64, to: Int64, requiredSubstrings: [String],
               visit: (LogRecordView) throws -> Bool) throws {
        for record in records where record.timestamp >= from && record.timestamp <= to && matchers.allSatisfy({ $0.matches(record.stream) }) {
            let keepGoing = try record.line.withUnsafeBytes { bytes in
                try visit(LogRecordView(timestamp: record.timestamp, stream: record.stream, fields: record.fields, line: bytes))
            }
            if !keepGoing { return }
        }
    }
}
