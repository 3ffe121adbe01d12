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
        abstract: "Query a node: log lines (LogQL-style) or metrics (a PromQL subset).",
        discussion: """
            Log queries start with a selector and may add line filters:
              trib query '{app="nginx", host=~"web-.*"} |= "timeout" != "healthz" |~ "5\\\\d\\\\d"'
            Metric queries: selectors, rate, increase, *_over_time, sum/avg/min/max/count by (labels):
              trib query 'sum by (host) (rate(http_requests_total[5m]))' --since 1h --step 1m
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
        let path = HTTPQueryPath.make("/api/v1/query_range", items)

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
            output = QueryOutput.matrix(series)
            if series.isEmpty { output = "no series matched\n" }
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
