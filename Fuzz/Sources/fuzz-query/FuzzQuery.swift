import FuzzSupport
import TributaryModel
import TributaryQuery

/// libFuzzer target: the query language (`Query.parse`: lexer and parser,
/// log and metric queries) and the time arguments of the HTTP API
/// (`QueryTime`). Errors are `QueryError`s; a log query that parses is
/// matched against a line and a label set.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? QueryTime.parse(text, now: 1_700_000_000_000_000_000)
    _ = try? QueryTime.parseDuration(text)
    do {
        let query = try Query.parse(text)
        if case .logs(let logs) = query {
            _ = logs.matches(line: "GET /api/v1/query 200 12ms user=alice")
            if let labels = try? Labels(["app": "web", "host": "web-1", "source": "file"]) { _ = logs.matches(labels: labels) }
        }
    } catch {
        _ = error.description
    }
    return 0
}

/// The executable's entry point (see `LibFuzzer.run`).
@_cdecl("fuzz_query_main")
public func fuzzQueryMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    LibFuzzer.run(argc, argv, fuzzQuery)
}
