import Foundation
import TributaryHTTPClient

/// The GET every `trib fleet` subcommand makes: the body of a 200, or an
/// error that says what the node answered.
enum FleetHTTP {
    static func get(_ connection: NodeHTTPOptions, path: String, query: [URLQueryItem] = []) throws -> [UInt8] {
        let endpoint = try connection.endpoint(purpose: "a token with the query role; it chooses the tenant")
        var components = URLComponents()
        components.path = path
        if !query.isEmpty { components.queryItems = query }
        let target = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        var status = 0
        var body: [UInt8] = []
        try HTTPGetClient.get(host: endpoint.host, port: endpoint.port, path: target, headers: endpoint.headers, tls: endpoint.tls,
                              status: { status = $0 }) { piece in
            body += piece
            guard body.count < 64 << 20 else { throw QueryFailed(message: "the answer is larger than 64 MiB") }
        }
        guard status == 200 else {
            throw QueryFailed(message: "the node answered \(status): \(String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return body
    }

    /// Warnings of a cluster answer (nodes that did not answer), to stderr.
    static func warn(_ warnings: [String]?) {
        for warning in warnings ?? [] { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// `2026-12-03T16:20:01.123456789Z` → `2026-12-03T16:20:01Z`.
    static func short(_ time: String?) -> String {
        guard let time else { return "-" }
        guard let dot = time.firstIndex(of: ".") else { return time }
        return String(time[..<dot]) + "Z"
    }

    static func bytes(_ count: UInt64) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1 << 20 { return String(format: "%.1f KiB", Double(count) / 1024) }
        if count < 1 << 30 { return String(format: "%.1f MiB", Double(count) / 1_048_576) }
        return String(format: "%.1f GiB", Double(count) / 1_073_741_824)
    }
}
