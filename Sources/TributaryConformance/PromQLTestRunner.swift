import TributaryModel
import TributaryQuery

/// Runs Prometheus' PromQL test scripts against `QueryEngine` and counts
/// each eval as passed, failed or skipped.
///
/// Skipped, never passed: cases that read or expect native histograms
/// (`{{…}}` values, `load_with_nhcb` conversions, the `histogram_count`-style
/// functions that only read them) and experimental features Tributary does
/// not implement (`limit_ratio`, binop `fill` modifiers, `anchored`/`smoothed`
/// selectors, `info()`,
/// `histogram_quantiles()`, `start_timestamp()`, `@st`
/// start timestamps).
public struct PromQLTestRunner: Sendable {
    public var engine = QueryEngine()
    public let parse: @Sendable (String) throws -> QueryExpr

    public init(parse: @escaping @Sendable (String) throws -> QueryExpr) {
        self.parse = parse
    }

    static let unsupportedFeatures = [
        "limit_ratio", "fill(", "fill_left", "fill_right", "anchored", "smoothed",
        "info(", "histogram_quantiles(", "start_timestamp(",
        "histogram_count(", "histogram_sum(", "histogram_avg(", "histogram_stddev(", "histogram_stdvar(",
    ]

    public func run(script: String, file: String) -> ConformanceFileResult {
        var result = ConformanceFileResult(file: file)
        let source = MemorySource()
        var loadError: String?
        for command in TestScript(script).commands {
            switch command {
            case .clear:
                source.clear()
                loadError = nil
            case .load(let interval, let withNHCB, let series, _, let error):
                load(series, interval: interval, withNHCB: withNHCB, into: source)
                if let error { loadError = error }
            case .eval(let evalCase):
                if let reason = Self.skipReason(evalCase) {
                    result.skip(reason)
                    continue
                }
                if loadError?.contains("@st") == true {
                    result.skip("start timestamps (@st)")
                    continue
                }
                switch check(evalCase, source: source, loadError: loadError) {
                case .passed: result.passed += 1
                case .skipped: result.skip("reads a native histogram")
                case .failed(let reason):
                    result.failed += 1
                    result.failures.append(ConformanceFailure(line: evalCase.line, query: evalCase.query, reason: reason))
                }
            }
        }
        return result
    }

    static func skipReason(_ evalCase: EvalCase) -> String? {
        if evalCase.expectsHistogram { return "expects a native histogram" }
        if let feature = unsupportedFeatures.first(where: { evalCase.query.contains($0) }) { return "experimental: \(feature)" }
        return nil
    }

    private func load(_ series: [SeriesDescription], interval: Int64, withNHCB: Bool, into source: MemorySource) {
        for one in series {
            for (index, point) in one.points.enumerated() {
                let time = Int64(index) * interval
                switch point {
                case .value(let value): source.append(one.labels, time: time, value: value)
                case .omitted: break
                case .histogram: source.appendHistogram(one.labels, time: time)
                }
            }
            // load_with_nhcb also writes each classic histogram as a native
            // histogram with custom buckets under the base name.
            if withNHCB, let name = one.labels["__name__"] {
                for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
                    let base = String(name.dropLast(suffix.count))
                    var pairs = one.labels.pairs.filter { $0.name != "le" && $0.name != "__name__" }
                    pairs.append(Label("__name__", base))
                    if let labels = try? Labels(pairs) {
                        for (index, point) in one.points.enumerated() where point != .omitted {
                            source.appendHistogram(labels, time: Int64(index) * interval)
                        }
                    }
                }
            }
        }
    }

    enum Outcome {
        case passed
        case failed(String)
        case skipped
    }

    private func check(_ evalCase: EvalCase, source: MemorySource, loadError: String?) -> Outcome {
        if let malformed = evalCase.malformed { return .failed("script: \(malformed)") }
        let expr: QueryExpr
        do {
            expr = try parse(evalCase.query)
        } catch {
            if evalCase.fail { return failureMatches(evalCase, "\(error)") }
            return .failed("parse error: \(error)")
        }
        source.resetTouched()
        let evaluation: (result: QueryResult, annotations: QueryAnnotations)
        do {
            if evalCase.isRange {
                evaluation = try engine.rangeWithAnnotations(expr, steps: QuerySteps(start: evalCase.start, end: evalCase.end, step: evalCase.step), source: source)
            } else {
                evaluation = try engine.instantWithAnnotations(expr, at: evalCase.start, source: source)
            }
        } catch {
            if source.touchedNativeHistogram { return .skipped }
            if evalCase.fail { return failureMatches(evalCase, "\(error)") }
            return .failed("error: \(error)")
        }
        if source.touchedNativeHistogram { return .skipped }
        if evalCase.fail { return .failed("expected an error, got a result") }
        if let problem = checkAnnotations(evalCase, evaluation.annotations) { return .failed(problem) }
        if let loadError { return .failed("load: \(loadError)") }
        if let problem = ResultComparison.compare(evalCase, evaluation.result) { return .failed(problem) }
        // As Prometheus: an instant query must give the same answer as the
        // middle step of a range query around it.
        // (Not for start(), end(), range() or step(), which differ between the two by design.)
        guard !evalCase.isRange, evalCase.rangeVector == nil, evalCase.expectedString == nil,
              !["start()", "end()", "range()", "step()"].contains(where: evalCase.query.contains) else { return .passed }
        do {
            let steps = QuerySteps(start: evalCase.start - 60_000_000_000, end: evalCase.start + 60_000_000_000, step: 60_000_000_000)
            let ranged = try engine.range(expr, steps: steps, source: source)
            if evalCase.ordered { return .passed }
            if let problem = ResultComparison.compareMiddleStep(evalCase, ranged, wasScalar: { if case .scalar = evaluation.result { return true } else { return false } }()) {
                return .failed("range mode: \(problem)")
            }
        } catch {
            return .failed("range mode error: \(error)")
        }
        return .passed
    }

    private func failureMatches(_ evalCase: EvalCase, _ message: String) -> Outcome {
        guard let expectation = evalCase.failExpectation else { return .passed }
        return expectation.matches(message) ? .passed : .failed("expected error matching \(expectation), got: \(message)")
    }

    private func checkAnnotations(_ evalCase: EvalCase, _ annotations: QueryAnnotations) -> String? {
        if evalCase.legacyWarn, annotations.warnings.isEmpty { return "expected warnings, got none" }
        if evalCase.legacyInfo, annotations.infos.isEmpty { return "expected info annotations, got none" }
        if let problem = Self.match(evalCase.warnings, annotations.warnings, kind: "warn") { return problem }
        if let problem = Self.match(evalCase.infos, annotations.infos, kind: "info") { return problem }
        if evalCase.noWarnings, !annotations.warnings.isEmpty { return "unexpected warnings: \(annotations.warnings)" }
        if evalCase.noInfos, !annotations.infos.isEmpty { return "unexpected infos: \(annotations.infos)" }
        return nil
    }

    private static func match(_ expected: [EvalCase.Expectation], _ actual: [String], kind: String) -> String? {
        guard !expected.isEmpty else { return nil }
        guard !actual.isEmpty else { return "expected \(kind) annotations, got none" }
        for expectation in expected where !actual.contains(where: expectation.matches) {
            return "expected a \(kind) annotation matching \(expectation), got \(actual)"
        }
        for annotation in actual where !expected.contains(where: { $0.matches(annotation) }) {
            return "unexpected \(kind) annotation \(annotation)"
        }
        return nil
    }
}
