import Hummingbird
import NIOCore

/// `GET /loki/api/v1/patterns?query=…&start=…&end=…&step=…`: the log
/// patterns Grafana's "Patterns" tab shows
/// (`{"status":"success","data":[{"pattern":"…","samples":[[<s>,<count>],…]}]}`).
///
/// Tributary does not detect patterns yet, so every valid request gets an
/// empty success (Grafana then shows "no patterns"). This is the seam for
/// the log-patterns work: fill `patterns(_:)` with the patterns of the
/// selected streams in the range and the answer's shape stays as it is.
struct LokiPatterns {
    let api: NodeAPI

    /// One detected pattern and its counts per step.
    struct Pattern: Sendable {
        var pattern: String
        /// (nanoseconds, count) per step.
        var samples: [(time: Int64, count: Int64)]
    }

    func respond(_ form: QueryForm, _ context: NodeRequestContext) async -> Response {
        guard let selector = form.get("query"), !selector.isEmpty else {
            return LokiJSON.error(APIFailure(.badRequest, "bad_data", "parameter query: expected a LogQL stream selector such as {app=\"api\"}"))
        }
        do {
            try LokiStreamFinder.checkSelector(selector)
        } catch {
            return LokiJSON.error(error)
        }
        var buffer = ByteBuffer(string: #"{"status":"success","data":["#)
        for (index, found) in patterns(selector).enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(#"{"pattern":"#)
            buffer.writeJSONString(found.pattern)
            buffer.writeString(#","samples":["#)
            buffer.writeString(found.samples.map { "[\(NodeAPI.seconds($0.time)),\($0.count)]" }.joined(separator: ","))
            buffer.writeString("]}")
        }
        buffer.writeString("]}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// The patterns of the streams `selector` selects: none until pattern
    /// detection exists.
    func patterns(_ selector: String) -> [Pattern] {
        []
    }
}
