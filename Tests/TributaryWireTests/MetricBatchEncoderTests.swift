import NIOCore
import Testing
import TributaryModel
import TributaryTestSupport
@testable import TributaryWire

/// `MetricBatchEncoder`: series and sample columns to a BATCH body that
/// decodes to exactly the records `BatchEncoder` writes for them.
@Suite struct MetricBatchEncoderTests {
    struct Load {
        var series: [BatchSeries] = []
        var runs: [MetricRun] = []
        var timestamps: [Int64] = []
        var values: [UInt64] = []
        /// The same samples as records, in run order.
        var records: [Record] = []
    }

    /// Random series (some repeated in several runs, some with id 0, label
    /// values shared between series) and runs of 1–5 samples, timestamps
    /// going back and forth, stale-marker and other NaN bits among values.
    static func load(seed: UInt64, seriesCount: Int = 300, runCount: Int = 900) throws -> Load {
        var random = SeededGenerator(seed: seed)
        var load = Load()
        var named: [(name: String, labels: Labels)] = []
        for index in 0..<seriesCount {
            var pairs = [Label("job", "job-\(index % 7)"), Label("instance", "host-\(index / 10)")]
            if index % 3 == 0 { pairs.append(Label("series", String(index))) }
            if index % 5 == 0 { pairs.append(Label("path", "/ünïcode/\(index % 4)")) }
            let labels = try Labels(pairs)
            let name = index % 2 == 0 ? "requests_total" : "temperature_\(index % 3)"
            named.append((name, labels))
            load.series.append(BatchSeries(name: name, labels: labels, id: index % 11 == 0 ? 0 : UInt64(index + 1)))
        }
        let specials: [UInt64] = [0x7FF0_0000_0000_0002, Double.nan.bitPattern, (-0.0).bitPattern, Double.infinity.bitPattern]
        var time: Int64 = 1_700_000_000_000_000_000
        for _ in 0..<runCount {
            let series = Int.random(in: 0..<seriesCount, using: &random)
            let kind: MetricKind = Bool.random(using: &random) ? .counter : .gauge
            let start = load.timestamps.count
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                time += Int64.random(in: -5_000_000_000...15_000_000_000, using: &random)
                let bits = Int.random(in: 0..<10, using: &random) == 0 ? specials.randomElement(using: &random)!
                    : Double(Int.random(in: -1000...1000, using: &random)).bitPattern
                load.timestamps.append(time)
                load.values.append(bits)
                load.records.append(.metric(MetricSample(name: named[series].name, labels: named[series].labels, timestamp: time,
                                                         value: Double(bitPattern: bits), kind: kind)))
            }
            load.runs.append(MetricRun(series: series, kind: kind, samples: start..<load.timestamps.count))
        }
        return load
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func decodesToTheRecordsBatchEncoderWrites(seed: UInt64) throws {
        let load = try Self.load(seed: seed)
        let decoder = BatchDecoder()
        let reference = try decoder.decode(try BatchEncoder(compression: .fastest).encode(load.records, agentID: "a", sequence: 1))
        #expect(reference == load.records)
        let encoder = MetricBatchEncoder(compression: .fastest)
        let plain = MetricBatchEncoder(compression: nil)
        // Twice through the same encoders: tables are reset between batches.
        for pass in 0..<2 {
            for encoder in [encoder, plain] {
                let batch = try encoder.encode(series: load.series, runs: load.runs[...], timestamps: load.timestamps, values: load.values,
                                               agentID: "a", sequence: 7)
                #expect(batch.recordCount == load.records.count && batch.sequence == 7)
                let records = try decoder.decode(batch)
                #expect(records == reference, "seed \(seed), pass \(pass)")
            }
        }
        // A slice of the runs: only those samples.
        let part = try encoder.encode(series: load.series, runs: load.runs[100..<200], timestamps: load.timestamps, values: load.values,
                                      agentID: "a", sequence: 8)
        let first = load.runs[100].samples.lowerBound
        let last = load.runs[199].samples.upperBound
        #expect(try decoder.decode(part) == Array(load.records[first..<last]))
    }

    @Test func aSeriesRepeatedInABatchIsOneLabelSetAndSharedStringsOneEntry() throws {
        let labels = try Labels(["job": "api", "instance": "a"])
        let other = try Labels(["job": "api", "instance": "b"])
        let series = [BatchSeries(name: "up", labels: labels, id: 5), BatchSeries(name: "up", labels: other, id: 6)]
        let runs = [0, 1, 0, 1, 0].enumerated().map { MetricRun(series: $0.element, kind: .gauge, samples: $0.offset..<$0.offset + 1) }
        let batch = try MetricBatchEncoder(compression: nil).encode(series: series, runs: runs[...], timestamps: [1, 2, 3, 4, 5],
                                                                    values: [1, 2, 3, 4, 5].map { Double($0).bitPattern }, agentID: "a", sequence: 1)
        var body = batch.body
        // instance, a, job, api, up, b: six strings; two label sets.
        #expect(try body.readWireVarint() == 6)
        for expected in ["instance", "a", "job", "api", "up", "b"] {
            #expect(try body.readWireString(limit: 100) == expected)
        }
        #expect(try body.readWireVarint() == 2)
    }

    @Test func limitsOfTheReceiverAreEnforced() throws {
        let long = try Labels(["job": String(repeating: "x", count: 5000)])
        let wide = try Labels(Dictionary(uniqueKeysWithValues: (0..<65).map { ("l\($0)", "v") }))
        for (labels, field) in [(long, "bytes"), (wide, "label count")] {
            let error = #expect(throws: WireError.self) {
                try MetricBatchEncoder().encode(series: [BatchSeries(name: "m", labels: labels, id: 1)],
                                                runs: [MetricRun(series: 0, kind: .gauge, samples: 0..<1)], timestamps: [1], values: [0],
                                                agentID: "a", sequence: 1)
            }
            #expect(error.map { "\($0)".contains(field) } == true, "\(String(describing: error))")
        }
        // Timestamps too far apart to delta-code are refused, not wrapped.
        let series = [BatchSeries(name: "m", labels: .empty, id: 1)]
        let overflow = #expect(throws: WireError.self) {
            try MetricBatchEncoder().encode(series: series, runs: [MetricRun(series: 0, kind: .gauge, samples: 0..<2)],
                                            timestamps: [Int64.min, Int64.max], values: [0, 0], agentID: "a", sequence: 1)
        }
        #expect(overflow.map { "\($0)".contains("delta-code") } == true)
        #expect(throws: WireError.self) {
            try MetricBatchEncoder().encode(series: series, runs: [], timestamps: [], values: [], agentID: "a", sequence: 1)
        }
    }

    @Test func equalHashesAreToldApartByTheirEntries() {
        var slots = HashSlots()
        let table = ["a", "b", "c", "d"]
        // Every entry under one hash: each lookup walks the candidates.
        for (index, _) in table.enumerated() {
            var slot = slots.firstSlot(for: 42)
            while let candidate = slots.next(42, slot: &slot) { #expect(candidate < index) }
            slots.insert(index, hash: 42, at: slot)
        }
        for (index, key) in table.enumerated() {
            var slot = slots.firstSlot(for: 42)
            var found: Int?
            while let candidate = slots.next(42, slot: &slot) {
                if table[candidate] == key {
                    found = candidate
                    break
                }
            }
            #expect(found == index)
        }
        // Growing keeps every entry; reset empties.
        for index in 4..<200 {
            var slot = slots.firstSlot(for: UInt64(index))
            while slots.next(UInt64(index), slot: &slot) != nil {}
            slots.insert(index, hash: UInt64(index), at: slot)
        }
        var slot = slots.firstSlot(for: 150)
        #expect(slots.next(150, slot: &slot) == 150)
        slots.reset()
        slot = slots.firstSlot(for: 150)
        #expect(slots.next(150, slot: &slot) == nil && slots.count == 0)
    }
}
