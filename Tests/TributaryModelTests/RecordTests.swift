import NIOCore
import Testing
import TributaryModel

@Suite struct RecordTests {
    @Test func severitiesFollowSyslogNumbering() {
        #expect(Severity.emergency.rawValue == 0)
        #expect(Severity.debug.rawValue == 7)
        #expect(Severity.unknown.rawValue == 8)
        #expect(Severity.error < Severity.info)
        #expect(Severity.warning.description == "warning")
    }

    @Test func nanMetricSamplesCompareEqualToThemselves() throws {
        let sample = MetricSample(name: "x", labels: .empty, timestamp: 1, value: .nan, kind: .gauge)
        #expect(sample == sample)
        var other = sample
        other.value = -.nan
        #expect(sample != other, "different NaN bit patterns are different samples")
    }

    @Test func recordsExposeTimestampAndLabels() throws {
        let labels = try Labels(["host": "h"])
        let records: [Record] = [
            .log(LogRecord(timestamp: 1, labels: labels, message: "m")),
            .metric(MetricSample(name: "n", labels: labels, timestamp: 2, value: 1, kind: .counter)),
            .event(ChangeEvent(type: "deploy", labels: labels, timestamp: 3, message: "v1")),
        ]
        #expect(records.map(\.timestamp) == [1, 2, 3])
        #expect(records.allSatisfy { $0.labels == labels })
    }
}
