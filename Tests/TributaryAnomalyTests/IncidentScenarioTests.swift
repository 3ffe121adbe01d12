import Foundation
import Testing
import TributaryModel
import TributaryQuery
@testable import TributaryAnomaly

/// The scenario: a deploy of checkout at 14:00, its memory climbing
/// from then on, a new growing log pattern since 14:01, among unrelated
/// changes and another service's trouble. Series go through the real query
/// engine over an in-memory source; the incident is built from what the
/// detectors find there.
@Suite struct IncidentScenarioTests {
    static let minute: Int64 = 60_000_000_000
    /// 2026-11-03T00:00:00Z.
    static let day0: Int64 = 1_793_664_000_000_000_000
    static func at(_ hour: Int, _ minute: Int, day: Int = 1) -> Int64 {
        day0 + Int64(day * 1_440 + hour * 60 + minute) * Self.minute
    }

    static func series(_ labels: [String: String], seed: UInt64, from: Int64 = day0, to: Int64, _ value: (Int64, inout SyntheticRandom) -> Double?) throws -> MetricSeries {
        var random = SyntheticRandom(seed: seed)
        var timestamps: [Int64] = [], values: [Double] = []
        var time = from
        while time <= to {
            if let point = value(time, &random) {
                timestamps.append(time)
                values.append(point)
            }
            time += minute
        }
        return MetricSeries(labels: try Labels(labels), timestamps: timestamps, values: values)
    }

    static func source(until end: Int64) throws -> SeriesMemorySource {
        let deploy = at(14, 0)
        let source = SeriesMemorySource()
        source.add(try series(["__name__": "process_resident_memory_bytes", "service": "checkout", "host": "web-1"], seed: 1, to: end) { time, random in
            let growth = time >= deploy ? 5e6 * Double((time - deploy) / minute) : 0
            return 512e6 + 2e6 * random.gaussian() + growth
        })
        source.add(try series(["__name__": "gc_pause_seconds", "service": "checkout", "host": "web-1"], seed: 2, to: end) { time, random in
            0.02 + 0.002 * random.gaussian() + (time >= at(14, 5) ? 0.03 : 0)
        })
        source.add(try series(["__name__": "http_request_duration_seconds", "service": "checkout", "host": "web-1"], seed: 3, to: end) { _, random in
            0.120 + 0.01 * random.gaussian()
        })
        source.add(try series(["__name__": "process_resident_memory_bytes", "service": "payments", "host": "web-2"], seed: 4, to: end) { time, random in
            300e6 + 1e6 * random.gaussian() + (time >= at(14, 10) ? 80e6 : 0)
        })
        // Pattern counts per minute, present only when the pattern occurred.
        func pattern(_ text: String, seed: UInt64, _ mean: @escaping (Int64) -> Double) throws -> MetricSeries {
            try series(["__name__": "tributary_log_pattern_lines", "app": "checkout", "pattern": text], seed: seed, to: end) { time, random in
                let count = random.poisson(mean: mean(time))
                return count > 0 ? count : nil
            }
        }
        source.add(try pattern("GET /cart <*> 200", seed: 5) { _ in 8 })
        source.add(try pattern("order <*> placed", seed: 6) { _ in 3 })
        source.add(try pattern("cache size=<*> entries", seed: 7) { time in
            time >= at(14, 1) ? 1 + Double((time - at(14, 1)) / minute) / 2 : 0
        })
        return source
    }

    static let changes = [
        ChangeEvent(type: "deploy", labels: (try? Labels(["service": "checkout", "host": "ci-runner-3"])) ?? .empty,
                    timestamp: at(14, 0), message: "checkout v1.4.2"),
        ChangeEvent(type: "deploy", labels: (try? Labels(["service": "payments"])) ?? .empty,
                    timestamp: at(13, 50), message: "payments v2.0.0"),
        ChangeEvent(type: "config", labels: (try? Labels(["service": "checkout"])) ?? .empty,
                    timestamp: at(9, 0), message: "raise pool size"),
    ]

    static let rule = "alert: CheckoutMemory\nanomaly: process_resident_memory_bytes{service=\"checkout\"}\nwindow: 1d\n"

    /// Runs the detectors at `time` and builds the incident.
    static func incident(at time: Int64, source: SeriesMemorySource) throws -> Incident? {
        let memory = try AnomalyRule.parse(yaml: rule).evaluate(at: time, source: source)
        guard let finding = memory.findings.first else { return nil }
        let trigger = IncidentTrigger(finding: finding)
        let scope = IncidentScope(labels: trigger.labels)
        let counts = try QueryEngine().range(
            try QueryExpr.parse("sum_over_time(tributary_log_pattern_lines{app=\"checkout\"}[1m])", language: .promql),
            steps: QuerySteps(start: day0, end: time, step: minute), source: source)
        guard case .matrix(let patternSeries) = counts else { return nil }
        let patterns = PatternAnomalyDetector().findings(counts: patternSeries, streamStart: day0, at: time)
        let others = try IncidentGatherer(settings: "window: 1d\n").anomalies(in: scope, at: time, source: source)
        return IncidentBuilder().build(trigger: trigger, changes: changes, patterns: patterns, anomalies: others)
    }

    @Test func oneIncidentNamesTheMemoryTheDeployAndTheNewPattern() throws {
        let now = Self.at(14, 20)
        let source = try Self.source(until: now)
        let memory = try AnomalyRule.parse(yaml: Self.rule).evaluate(at: now, source: source)
        #expect(memory.findings.count == 1)
        let finding = try #require(memory.findings.first)
        #expect(finding.labels["service"] == "checkout")
        #expect(finding.since == Self.at(14, 2))
        #expect(finding.score > 4)
        // The band is there for charts and rules.
        #expect(memory.band.map { $0.labels["__name__"] ?? "" }.sorted() == [
            "process_resident_memory_bytes:baseline", "process_resident_memory_bytes:lower", "process_resident_memory_bytes:upper"])

        let incident = try #require(try Self.incident(at: now, source: source))
        let lines = incident.explanation
        #expect(lines.first == "`process_resident_memory_bytes` of checkout is rising abnormally since 14:02")
        #expect(lines.contains("the deploy `checkout v1.4.2` went out at 14:00"))
        #expect(lines.contains("the log pattern `cache size=<*> entries` is new since 14:01 and growing"))
        #expect(lines.contains { $0.hasPrefix("`gc_pause_seconds` of checkout is rising abnormally since 14:0") })
        #expect(!lines.contains { $0.contains("payments") || $0.contains("pool size") || $0.contains("GET /cart") })
        #expect(incident.scope.dictionary == ["service": "checkout", "host": "web-1"])
        #expect(incident.start == Self.at(14, 2))
        // The deploy ranks first among the evidence: closest to the start, in scope.
        #expect(incident.evidence.first?.kind == .change)
    }

    @Test func laterEvaluationsJoinTheSameIncident() throws {
        var log = IncidentLog()
        for minute in [20, 21, 25] {
            let now = Self.at(14, minute)
            let incident = try #require(try Self.incident(at: now, source: try Self.source(until: now)))
            let (kept, isNew) = log.record(incident)
            #expect(isNew == (minute == 20))
            #expect(kept.id == log.incidents.first?.id)
        }
        #expect(log.incidents.count == 1)
    }

    @Test func beforeTheDeployThereIsNoIncident() throws {
        let now = Self.at(13, 58)
        #expect(try Self.incident(at: now, source: try Self.source(until: now)) == nil)
    }

    @Test func theIncidentEncodesForTheAPIAndTheWebhook() throws {
        let now = Self.at(14, 20)
        let incident = try #require(try Self.incident(at: now, source: try Self.source(until: now)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(incident)) as? [String: Any])
        #expect(object["id"] as? String == incident.id)
        #expect(incident.id.hasPrefix("inc-") && incident.id.count == 20)
        #expect((object["scope"] as? [String: String])?["service"] == "checkout")
        #expect(object["start"] as? Double == Double(Self.at(14, 2)) / 1e9)
        #expect((object["explanation"] as? [String])?.count == incident.explanation.count)
        let evidence = try #require(object["evidence"] as? [[String: Any]])
        #expect(evidence.first?["kind"] as? String == "change")
        #expect(incident.annotation.contains("; the deploy `checkout v1.4.2` went out at 14:00"))
    }
}
