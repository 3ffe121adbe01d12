import ArgumentParser
import Foundation
import TributaryAPI
import TributaryHTTPClient
import TributaryNode

/// `trib patterns '{app="checkout"}' --since 1h`: the log patterns a node
/// has mined for the matching stream groups, most lines first.
struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Show the log patterns of matching streams: pattern, lines, first seen, trend.",
        discussion: """
            Patterns are mined per tenant and stream group (the app or service label, else the stream) as lines \
            are stored. The trend compares the window's second half with its first: new (first seen in the \
            window), up, down or steady. The id is the pattern_id label of the PromQL series \
            tributary_log_pattern_lines; --id shows one pattern.
              trib patterns '{app="checkout"}' --since 1h
              trib query 'sum by (pattern_id) (sum_over_time(tributary_log_pattern_lines{app="checkout"}[10m]))'
            """
    )

    @Argument(help: "A log stream selector (default: every stream).")
    var selector: String = ""

    @OptionGroup var connection: NodeHTTPOptions

    @Option(help: "Window as a duration before now (default 1h).")
    var since: String = "1h"

    @Option(help: "Time per sample (default: the node's bucket, one minute).")
    var step: String?

    @Option(help: "Only the pattern with this id (the pattern_id label).")
    var id: String?

    @Flag(help: "Print the node's JSON.")
    var json = false

    func run() throws {
        let endpoint = try connection.endpoint(purpose: "a token with the query role; it chooses the tenant")
        var items: [(name: String, value: String)] = [("query", selector), ("start", since)]
        if let step { items.append(("step", step)) }
        if let id { items.append(("id", id)) }
        let path = HTTPQueryPath.make("/loki/api/v1/patterns", items)
        var statusCode = 0
        var collected: [UInt8] = []
        try HTTPGetClient.get(host: endpoint.host, port: endpoint.port, path: path, headers: endpoint.headers, tls: endpoint.tls,
                              status: { statusCode = $0 }) { piece in
            collected += piece
            guard collected.count < 256 << 20 else { throw QueryFailed(message: "the answer is larger than 256 MiB; narrow the selector") }
        }
        guard statusCode == 200, let document = try? JSONDecoder().decode(LogPatternsResponse.self, from: Data(collected)) else {
            let error = (try? JSONDecoder().decode(APIErrorBody.self, from: Data(collected)))?.error
            throw QueryFailed(message: "the node answered \(statusCode): \(error ?? String(decoding: collected, as: UTF8.self))")
        }
        if json {
            FileHandle.standardOutput.write(Data(collected))
            return
        }
        let windowStart = Date().timeIntervalSince1970 - (Self.seconds(since) ?? 3600)
        FileHandle.standardOutput.write(Data(PatternsTable.render(document.data, windowStart: windowStart).utf8))
    }

    /// Seconds in a duration such as 90s, 15m, 1h, 2d (nil if not one).
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        guard let unit = text.last, let factor = units[unit], let value = Double(text.dropLast()) else { return Double(text) }
        return value * factor
    }
}
