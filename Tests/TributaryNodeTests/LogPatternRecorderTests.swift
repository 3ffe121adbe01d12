import Foundation
import Testing
import TributaryModel
import TributaryNode

@Suite struct LogPatternRecorderTests {
    static let minute: Int64 = 60_000_000_000

    /// Streams of more apps than the cap: the recorder keeps at most
    /// `maxGroups` groups, the most recently written ones.
    @Test func groupsBeyondTheCapAreForgottenOldestFirst() throws {
        var settings = LogPatternSettings()
        settings.maxGroups = 5
        let (recorder, warning) = LogPatternRecorder.open(directory: nil, settings: settings)
        #expect(warning == nil)
        for app in 0..<50 {
            let labels = try Labels(["app": "app\(app)", "host": "h1"])
            recorder.observe([.log(LogRecord(timestamp: 10 * Self.minute, labels: labels, message: "started worker \(app)"))], tenant: "acme")
        }
        let groups = Set(recorder.summaries(tenant: "acme", matchers: [], from: 0, to: 20 * Self.minute, step: Self.minute).map(\.group))
        #expect(groups.count == 5)
        #expect(groups.contains(try Labels(["app": "app49"])))
        #expect(recorder.summaries(tenant: "other", matchers: [], from: 0, to: 20 * Self.minute, step: Self.minute).isEmpty)
    }

    /// Counts per bucket are bounded: only the newest `retainedBuckets` stay.
    @Test func countsKeepOnlyTheRetainedBuckets() throws {
        var settings = LogPatternSettings()
        settings.retainedBuckets = 10
        let (recorder, _) = LogPatternRecorder.open(directory: nil, settings: settings)
        let labels = try Labels(["service": "api"])
        let records = (0..<100).map { minute in
            Record.log(LogRecord(timestamp: Int64(minute) * Self.minute, labels: labels, message: "tick \(minute) done"))
        }
        recorder.observe(records, tenant: "acme")
        let summary = try #require(recorder.summaries(tenant: "acme", matchers: [], from: 0, to: 200 * Self.minute, step: Self.minute).first)
        #expect(summary.samples.count == 10)
        #expect(summary.samples.first?.0 == 90 * Self.minute)
        #expect(summary.firstSeen == 0, "first seen outlives the buckets")
        #expect(summary.group == (try Labels(["service": "api"])))
    }

    /// Garbage in the state file: a warning naming it and an empty start.
    @Test func aDamagedStateFileIsAWarningAndAnEmptyStart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("patterns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data([0xff, 0x00, 0x7b]).write(to: directory.appendingPathComponent("patterns.json"))
        let (recorder, warning) = LogPatternRecorder.open(directory: directory.path)
        #expect(warning?.contains("patterns.json could not be read") == true, "\(warning ?? "")")
        #expect(recorder.summaries(tenant: "acme", matchers: [], from: 0, to: .max, step: Self.minute).isEmpty)
        // And it is replaced by a good one at the next save.
        recorder.observe([.log(LogRecord(timestamp: Self.minute, labels: try Labels(["app": "a"]), message: "hello world"))], tenant: "acme")
        try recorder.save()
        let (reopened, again) = LogPatternRecorder.open(directory: directory.path)
        #expect(again == nil)
        #expect(reopened.summaries(tenant: "acme", matchers: [], from: 0, to: 10 * Self.minute, step: Self.minute).map(\.pattern) == ["hello world"])
    }
}
