import Hummingbird
import NIOCore
import TributaryModel
import TributaryQuery

/// Loki's answer shapes (https://grafana.com/docs/loki/latest/reference/loki-http-api/):
///
/// - log queries: `{"status":"success","data":{"resultType":"streams",
///   "result":[{"stream":{labels},"values":[["<ns>","<line>"],…]}],"stats":{…}}}`,
///   each stream's values newest first for `backward`;
/// - metric queries: `vector`/`matrix`/`scalar` as Prometheus writes them,
///   plus `stats` inside `data`;
/// - `warnings` beside `data` when there are any.
enum LokiJSON {
    /// Lines grouped into streams by their labels, streams in the order of
    /// their first line, lines in the order given.
    static func streams(_ lines: [LogLine], warnings: [String], began: ContinuousClock.Instant) -> Response {
        var order: [Labels] = []
        var grouped: [Labels: [LogLine]] = [:]
        var bytes = 0
        for line in lines {
            if grouped[line.labels] == nil { order.append(line.labels) }
            grouped[line.labels, default: []].append(line)
            bytes += line.message.readableBytes
        }
        var buffer = ByteBuffer()
        buffer.writeString(#"{"status":"success","data":{"resultType":"streams","result":["#)
        for (index, labels) in order.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(#"{"stream":"#)
            buffer.writeJSONObject(labels.map { ($0.name, $0.value) })
            buffer.writeString(#","values":["#)
            for (position, line) in (grouped[labels] ?? []).enumerated() {
                if position > 0 { buffer.writeString(",") }
                buffer.writeString("[\"\(line.timestamp)\",")
                buffer.writeJSONString(bytes: line.message)
                buffer.writeString("]")
            }
            buffer.writeString("]}")
        }
        buffer.writeString("],")
        writeStats(lines: lines.count, bytes: bytes, began: began, into: &buffer)
        buffer.writeString("}")
        writeWarnings(warnings, into: &buffer)
        buffer.writeString("}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// A metric query's result in Loki's envelope.
    static func result(_ result: QueryResult, warnings: [String], began: ContinuousClock.Instant) -> Response {
        var buffer = ByteBuffer()
        NodeAPI.write(result, into: &buffer)
        // `write` closes `data`; Loki's `stats` goes inside it.
        buffer.moveWriterIndex(to: buffer.writerIndex - 1)
        buffer.writeString(",")
        writeStats(lines: 0, bytes: 0, began: began, into: &buffer)
        buffer.writeString("}")
        writeWarnings(warnings, into: &buffer)
        buffer.writeString("}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// `{"status":"success","data":[…strings…]}` (labels, label values).
    static func strings(_ values: [String]) -> Response {
        var buffer = ByteBuffer(string: #"{"status":"success","data":"#)
        buffer.writeJSONStringArray(values)
        buffer.writeString("}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// `{"status":"success","data":[{labels},…]}` (series).
    static func labelSets(_ sets: [Labels]) -> Response {
        var buffer = ByteBuffer(string: #"{"status":"success","data":["#)
        for (index, labels) in sets.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeJSONObject(labels.map { ($0.name, $0.value) })
        }
        buffer.writeString("]}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// Loki's `stats.summary` (the figures Grafana's query inspector shows).
    static func writeStats(lines: Int, bytes: Int, began: ContinuousClock.Instant, into buffer: inout ByteBuffer) {
        let elapsed = ContinuousClock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perSecond = { (count: Int) -> Int in seconds > 0 ? Int(Double(count) / seconds) : 0 }
        buffer.writeString(#""stats":{"summary":{"#)
        buffer.writeString("\"bytesProcessedPerSecond\":\(perSecond(bytes)),\"linesProcessedPerSecond\":\(perSecond(lines)),")
        buffer.writeString("\"totalBytesProcessed\":\(bytes),\"totalLinesProcessed\":\(lines),\"execTime\":\(seconds),\"queueTime\":0,")
        buffer.writeString("\"subqueries\":0,\"totalEntriesReturned\":\(lines),\"splits\":0,\"shards\":0,\"totalPostFilterLines\":\(lines),")
        buffer.writeString("\"totalStructuredMetadataBytesProcessed\":0}}")
    }

    static func writeWarnings(_ warnings: [String], into buffer: inout ByteBuffer) {
        guard !warnings.isEmpty else { return }
        buffer.writeString(",\"warnings\":")
        buffer.writeJSONStringArray(warnings)
    }

    /// Loki answers errors as plain text with the status (its handlers use
    /// `http.Error`); Grafana shows the text.
    static func error(_ failure: APIFailure) -> Response {
        var headers = failure.headers
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: failure.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: failure.message + "\n")))
    }
}
