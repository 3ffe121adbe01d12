import Foundation
import TributaryFormats

/// One endpoint to scrape and the labels its series get: `job`,
/// `instance` (host:port), the input's `labels` and its file_sd group's.
struct ScrapeTarget: Hashable, Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var scheme: String
    var path: String
    /// Sorted by name, unique, without `__` names and empty values.
    var labels: [KeyValue]

    var url: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed):\(port)\(path)"
    }

    var description: String { url }

    /// Targets from `addresses` with the group's `labels` over the
    /// input's: `__scheme__` and `__metrics_path__` choose the URL, `job`
    /// may be overridden, other `__` labels are dropped, as in Prometheus.
    static func make(addresses: [String], groupLabels: [KeyValue], settings: PrometheusInputSettings,
                     inputLabels: [(key: String, value: String)]) -> (targets: [ScrapeTarget], problems: [String]) {
        var merged: [String: String] = ["job": settings.job]
        for pair in inputLabels { merged[pair.key] = pair.value }
        for pair in groupLabels { merged[pair.key] = pair.value }
        let scheme = merged["__scheme__"] ?? settings.scheme
        let path = merged["__metrics_path__"] ?? settings.metricsPath
        var problems: [String] = []
        guard scheme == "http" || scheme == "https" else { return ([], ["__scheme__ must be http or https, found \"\(scheme)\""]) }
        guard path.hasPrefix("/"), !path.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else {
            return ([], ["__metrics_path__ must start with / and hold no spaces, found \"\(path)\""])
        }
        var targets: [ScrapeTarget] = []
        for address in addresses {
            guard let (host, port) = hostPort(address) else {
                problems.append("\"\(address)\" is not host:port")
                continue
            }
            var labels = merged.filter { !$0.key.hasPrefix("__") && !$0.value.isEmpty }
            labels["instance"] = labels["instance"] ?? address
            targets.append(ScrapeTarget(host: host, port: port, scheme: scheme, path: path,
                                        labels: labels.map { KeyValue($0.key, $0.value) }.sorted { $0.key < $1.key }))
        }
        return (targets, problems)
    }

    /// `host:port` or `[v6]:port`, with a port from 1 to 65535.
    static func hostPort(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        // A name or an address: it goes into the Host header as written.
        guard !host.isEmpty, host.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-_:%".unicodeScalars.contains($0)) })
        else { return nil }
        return (host, port)
    }
}
