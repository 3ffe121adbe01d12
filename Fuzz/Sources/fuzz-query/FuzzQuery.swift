import FuzzSupport
import TributaryModel
import TributaryQuery

/// libFuzzer target: the query languages (`QueryExpr.parse`: PromQL and
/// LogQL, then the printer, whose text must parse again), the time
/// arguments of the HTTP API (`QueryTime`), LogQL pipelines (compiled and
/// run on a line) and the evaluator (an instant and a short range over a
/// small in-memory source). Errors are `QueryError`s, `LogPipelineError`s
/// or evaluation errors; nothing may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? QueryTime.parse(text, now: 1_700_000_000_000_000_000)
    _ = try? QueryTime.parseDuration(text)
    let expr: QueryExpr
    do {
        expr = try QueryExpr.parse(text, language: .auto)
    } catch {
        _ = error.description
        return 0
    }
    _ = try? QueryExpr.parse(expr.description, language: .auto)
    let source = FuzzQuerySource()
    if case .logs(let selector) = expr {
        if let pipeline = try? LogPipeline(selector.stages), let labels = try? Labels(["app": "web", "host": "web-1"]) {
            _ = pipeline.process(line: #"level=info msg="GET /api" status=200 latency=12ms {"a":{"b":[1,2]}}"#, timestamp: 0, stream: labels,
                                 fields: [Field("user", "alice")])
        }
        return 0
    }
    let engine = QueryEngine(maxSamples: 100_000)
    let now: Int64 = 1_700_000_000_000_000_000
    _ = try? engine.instant(expr, at: now, source: source)
    _ = try? engine.range(expr, steps: QuerySteps(start: now - 600_000_000_000, end: now, step: 60_000_000_000), source: source)
    return 0
}

/// Two counters and a log stream, enough for every function to run.
struct FuzzQuerySource: QuerySource {
    func series(matching matchers: [LabelMatcher], from: Int64, to: Int64) throws -> [MetricSeries] {
        let end: Int64 = 1_700_000_000_000_000_000
        var result: [MetricSeries] = []
        for (host, rate) in [("a", 1.0), ("b", 2.5)] {
            guard let labels = try? Labels(["__name__": "x", "host": host, "le": host == "a" ? "1" : "+Inf"]),
                  matchers.allSatisfy({ $0.matches(labels) }) else { continue }
            let times = stride(from: end - 900_000_000_000, through: end, by: 15_000_000_000).filter { $0 >= from && $0 <= to }
            result.append(MetricSeries(labels: labels, timestamps: Array(times), values: times.indices.map { Double($0) * rate }))
        }
        return result
    }

    func logRange(_ expr: LogRangeExpr, steps: QuerySteps) throws -> [MetricSeries] {
        try LogRangeAggregator.evaluate(expr, steps: steps, source: FuzzLogLines())
    }
}

/// A few lines for LogQL range aggregations.
struct FuzzLogLines: LogLineSource {
    func lines(matching matchers: [LabelMatcher], from: Int64, to: Int64, requiredSubstrings: [String],
               visit: (LogRecordView) throws -> Bool) throws {
        guard let labels = try? Labels(["app": "web"]), matchers.allSatisfy({ $0.matches(labels) }) else { return }
        for index in 0..<20 {
            let time = 1_700_000_000_000_000_000 - Int64(index) * 30_000_000_000
            guard time >= from && time <= to else { continue }
            var line = #"level=\#(index % 3 == 0 ? "error" : "info") latency=\#(index * 7)ms size=\#(index)KB {"n":\#(index)}"#
            let keepGoing = try line.withUTF8 { try visit(LogRecordView(timestamp: time, stream: labels, line: UnsafeRawBufferPointer($0))) }
            if !keepGoing { return }
        }
    }
}

/// The executable's entry point (see `LibFuzzer.run`).
@_cdecl("fuzz_query_main")
public func fuzzQueryMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    LibFuzzer.run(argc, argv, fuzzQuery)
}
