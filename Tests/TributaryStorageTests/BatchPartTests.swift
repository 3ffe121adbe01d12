import Testing
import TributaryModel
import TributaryStorage
import TributaryTestSupport

@Suite struct BatchPartTests {
    struct Shards: PartitionRouting {
        let count: Int
        func shards(bucketStart: Int64) -> Int { count }
        func keeps(_ key: PartitionKey) -> Bool { true }
    }

    static let minute: Int64 = 60_000_000_000

    /// Records of a few streams, logs, events and metrics, over three buckets, in runs and interleaved.
    static func records(seed: UInt64) throws -> [Record] {
        var generator = SeededGenerator(seed: seed)
        var records: [Record] = []
        for index in 0..<2_000 {
            let timestamp = Int64.random(in: 0..<(3 * minute), using: &generator)
            let host = "h\(Int.random(in: 0..<(index % 3 == 0 ? 2 : 7), using: &generator))"
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<6: records.append(.log(LogRecord(timestamp: timestamp, labels: try Labels(["host": host]), message: "m\(index)")))
            case 6: records.append(.event(ChangeEvent(type: "deploy", labels: try Labels(["host": host]), timestamp: timestamp, message: "e")))
            default:
                let name = ["up", "load"].randomElement(using: &generator)!
                records.append(.metric(MetricSample(name: name, labels: try Labels(["host": host]), timestamp: timestamp, value: 1, kind: .gauge)))
            }
            // Runs of the same stream, as agents send them.
            if index % 5 != 0, let last = records.last { records.append(last) }
        }
        return records
    }

    @Test(arguments: [1, 3, 4])
    func partsMatchTheRecordsOfEachPartition(shards: Int) throws {
        for seed: UInt64 in 1...5 {
            let records = try Self.records(seed: seed)
            let parts = BatchPart.split(records, tenant: "acme", span: Self.minute, routing: Shards(count: shards))
            #expect(Set(parts.map(\.key)).count == parts.count, "one part per partition")
            var covered = 0
            for part in parts {
                let inside = records.filter(part.key.contains)
                covered += inside.count
                #expect(!inside.isEmpty)
                #expect(part.minTimestamp == inside.map(\.timestamp).min())
                #expect(part.maxTimestamp == inside.map(\.timestamp).max())
                var logs: [Labels] = []
                var metrics: [Labels] = []
                for record in inside {
                    let labels = BlockWriter.streamLabels(of: record)
                    if case .metric = record {
                        if !metrics.contains(labels) { metrics.append(labels) }
                    } else if !logs.contains(labels) {
                        logs.append(labels)
                    }
                }
                #expect(Set(part.logStreams) == Set(logs) && part.logStreams.count == logs.count)
                #expect(Set(part.metricStreams) == Set(metrics) && part.metricStreams.count == metrics.count)
            }
            #expect(covered == records.count, "every record is in exactly one part")
        }
    }
}
