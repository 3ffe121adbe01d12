import Testing
import TributaryModel
@testable import TributaryQuery

/// `anomaly_baseline`, `anomaly_upper`, `anomaly_lower`, `anomaly_score`
/// through the parser and the engine.
@Suite struct AnomalyFunctionTests {
    static let minute: Int64 = 60_000_000_000

    /// 2 h of a series repeating 9, 10, 11 (median 10, MAD 1), then 30 at the last minute.
    static func store() throws -> QueryEngineTests.Store {
        var values: [Double?] = (0..<120).map { [9, 10, 11][$0 % 3] }
        values.append(30)
        return QueryEngineTests.Store(series: [try QueryEngineTests.series(["__name__": "mem", "service": "checkout"], every: minute, values)])
    }

    static func value(_ query: String, at time: Int64) throws -> Double? {
        let result = try QueryEngine().instant(try QueryExpr.parse(query, language: .promql), at: time, source: try store())
        guard case .vector(let samples) = result else { return nil }
        return samples.first?.value
    }

    @Test func bandIsMedianPlusOrMinusSensitivityTimesRobustDeviation() throws {
        let time = 120 * Self.minute
        #expect(try Self.value("anomaly_baseline(mem[1h])", at: time) == 10)
        let spread = 1.4826
        #expect(abs(try #require(try Self.value("anomaly_upper(mem[1h], 3)", at: time)) - (10 + 3 * spread)) < 1e-9)
        #expect(abs(try #require(try Self.value("anomaly_lower(mem[1h], 2)", at: time)) - (10 - 2 * spread)) < 1e-9)
        #expect(abs(try #require(try Self.value("anomaly_score(mem[1h])", at: time)) - 20 / spread) < 1e-9)
    }

    @Test func bandDropsTheMetricNameAndKeepsLabels() throws {
        let result = try QueryEngine().instant(try QueryExpr.parse("anomaly_upper(mem[1h], 3)", language: .promql), at: 100 * Self.minute, source: try Self.store())
        guard case .vector(let samples) = result else { Issue.record("not a vector"); return }
        #expect(samples.map(\.labels.description) == ["{service=\"checkout\"}"])
    }

    @Test func rangeQueryDrawsTheBandAtEveryStep() throws {
        let expr = try QueryExpr.parse("anomaly_upper(mem[30m], 3)", language: .promql)
        let result = try QueryEngine().range(expr, steps: QuerySteps(start: 60 * Self.minute, end: 119 * Self.minute, step: Self.minute), source: try Self.store())
        guard case .matrix(let series) = result else { Issue.record("not a matrix"); return }
        #expect(series.count == 1)
        #expect(series.first?.values.count == 60)
        #expect(series.first?.values.allSatisfy { abs($0 - (10 + 3 * 1.4826)) < 1e-9 } == true)
    }

    @Test func tooFewPointsGiveNoBand() throws {
        // A 5-minute window holds 4 earlier points: no verdict rather than a guess.
        #expect(try Self.value("anomaly_baseline(mem[5m])", at: 100 * Self.minute) == nil)
    }

    @Test func badArgumentsAreClearErrors() throws {
        #expect(throws: QueryEvaluationError.self) { _ = try Self.value("anomaly_upper(mem[1h], -1)", at: 100 * Self.minute) }
        #expect(throws: QueryEvaluationError.self) { _ = try Self.value("anomaly_baseline(mem[1h], -5)", at: 100 * Self.minute) }
        #expect(throws: QueryError.self) { _ = try QueryExpr.parse("anomaly_upper(mem[1h])", language: .promql) }
        #expect(throws: QueryError.self) { _ = try QueryExpr.parse("anomaly_baseline(mem)", language: .promql) }
        do {
            _ = try Self.value("anomaly_upper(mem[1h], 0)", at: 100 * Self.minute)
            Issue.record("sensitivity 0 was accepted")
        } catch let error as QueryEvaluationError {
            #expect(error.description.contains("sensitivity must be a positive number"))
        }
    }

    @Test func explicitPeriodZeroMeansNoSeasonality() throws {
        #expect(try Self.value("anomaly_baseline(mem[1h], 0)", at: 120 * Self.minute) == 10)
    }
}
