import ArgumentParser
import Foundation
import TributaryAPI
import TributaryHTTPClient
import TributaryNode

/// `trib query '{app="nginx"} |= "timeout"'`: asks a node's HTTP API and
/// prints the result aligned (severity coloured on a terminal) or as JSON.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query a node: log lines and log metrics (LogQL), or metrics (PromQL).",
        discussion: """
            Log queries start with a selector and may add line filters, parsers and label filters:
              trib query '{app="nginx", host=~"web-.*"} |= "timeout" != "healthz" |~ "5\\d\\d"'
              trib query '{app="api"} | json | status >= 500 | line_format "{{.method}} {{.path}}"'
            Metric queries are PromQL, or LogQL metric queries over log lines:
              trib query 'sum by (host) (rate(http_requests_total[5m]))' --since 1h --step 1m
              trib query 'sum by (level) (count_over_time({app="api"} | json [5m]))' --since 6h --step 5m
              trib query 'vector(1) + vector(1)' --time now
            --time makes it an instant query (one value per series at that time) instead of a range.
            Times: RFC 3339 (2026-11-22T06:00:00Z), a duration before now (1h), now, or Unix seconds.
            The token (--token or TRIB_TOKEN) chooses the tenant and needs the query role. The node speaks \
            HTTPS: --ca (or TRIB_CA) names the CA that issued its certificate.
            """
    )

    @Argument(help: "The query.")
    var query: String

    @OptionGroup var connection: NodeHTTPOptions

    @Option(help: "Start of the range as a duration before now (default 1h).")
    var since: String?

    @Option(help: "Start of the range (RFC 3339, Unix seconds); overrides --since.")
    var start: String?

    @Option(help: "End of the range (default now).")
    var end: String?

    @Option(help: "At most this many log lines (default 100).")
    var limit: Int?

    @Flag(help: "Oldest lines first (default: newest first).")
    var forward = false

    @Option(help: "Metric queries: time between points (e.g. 30s, 1m).")
    var step: String?

    @Option(help: "Evaluate the query at this one time (RFC 3339, Unix seconds, or a duration before now such as 5m): an instant query, answered with one value per series.")
    var time: String?

    @Flag(help: "Print the node's JSON as it arrives.")
    var json = false

    @Option(help: "Colour severities: auto (on a terminal), always, never.")
    var color: ColorChoice = .auto

    enum ColorChoice: String, ExpressibleByArgument { case auto, always, never }

    func run() throws {
        let endpoint = try connection.endpoint(purpose: "a token with the query role; it chooses the tenant")
        var items: [(name: String, value: String)] = [("query", query)]
        if let start { items.append(("start", start)) } else if let since { items.append(("start", since)) }
        if let end { items.append(("end", end)) }
        if let limit { items.append(("limit", String(limit))) }
        if forward { items.append(("direction", "forward")) }
        if let step { items.append(("step", step)) }
        if let time { items = [("query", query), ("time", time)] + items.filter { $0.name == "limit" || $0.name == "direction" } }
        let path = HTTPQueryPath.make(time == nil ? "/api/v1/query_range" : "/api/v1/query", items)

        var statusCode = 0
        var collected: [UInt8] = []
        try HTTPGetClient.get(host: endpoint.host, port: endpoint.port, path: path, headers: endpoint.headers, tls: endpoint.tls,
                              status: { statusCode = $0 }) { piece in
            if json && statusCode == 200 {
                FileHandle.standardOutput.write(Data(piece))
            } else {
                collected += piece
                guard collected.count < 1 << 30 else { throw ValidationError("the response is larger than 1 GiB: use --json to stream it") }
            }
        }
        if json && statusCode == 200 { return }
        let document = try? JSONDecoder().decode(QueryResponse.self, from: Data(collected))
        guard statusCode == 200, let document, let data = document.data else {
            let message = document?.error ?? String(decoding: collected, as: UTF8.self)
            if let position = document?.position {
                FileHandle.standardError.write(Data("  \(query)\n  \(String(repeating: " ", count: position))^\n".utf8))
            }
            throw QueryFailed(message: "the node answered \(statusCode): \(message)")
        }
        if json {
            FileHandle.standardOutput.write(Data(collected))
            return
        }
        let colour = color == .always || (color == .auto && isatty(STDOUT_FILENO) == 1)
        var output = ""
        if let lines = data.lines {
            output = QueryOutput.logs(lines, colour: colour)
            if lines.isEmpty { output = "no lines matched\n" }
        } else if let series = data.result {
            output = data.resultType == "vector" ? QueryOutput.vector(series) : QueryOutput.matrix(series)
            if series.isEmpty { output = "no series matched\n" }
        } else if let point = data.point {
            output = point.value + "\n"
        }
        for warning in document.warnings ?? [] { output += "warning: \(warning)\n" }
        if let error = document.error { output += "error: \(error)\n" }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

struct QueryFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
