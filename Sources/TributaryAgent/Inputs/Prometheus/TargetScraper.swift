import Foundation
import TributaryFormats
import TributaryHTTPClient
import TributaryModel

/// Fetches one target's exposition as Prometheus does: `Accept` prefers
/// OpenMetrics, the body is read up to `body_size_limit` and no longer
/// than `timeout`, the bearer token is sent (read from its file at every
/// scrape), and the response's `Content-Type` chooses the parser.
struct TargetScraper: Sendable {
    let settings: PrometheusInputSettings
    let tls: HTTPGetClient.TLS?

    /// The samples of one scrape, or why there are none.
    func scrape(_ target: ScrapeTarget) throws(ScrapeFailure) -> [ExposedSample] {
        let (body, contentType, encoding) = try fetch(target)
        if let encoding, encoding.lowercased() != "identity" {
            throw ScrapeFailure(reason: .parse, message: "\(target.url) answered with Content-Encoding \(encoding), which the agent does not ask for and does not read")
        }
        let format = ExpositionFormat(contentType: contentType)
        do throws(ExpositionError) {
            return try ExpositionParser.parse(body, format: format, limits: ExpositionLimits(maxSamples: settings.sampleLimit))
        } catch {
            if error.kind == .sampleLimit { throw ScrapeFailure(reason: .sampleLimit, message: "\(target.url): \(error.message)") }
            throw ScrapeFailure(reason: .parse, message: "\(target.url) answered an invalid \(format) exposition: \(error)")
        }
    }

    func fetch(_ target: ScrapeTarget) throws(ScrapeFailure) -> (body: [UInt8], contentType: String?, encoding: String?) {
        let seconds = Double(settings.timeout.components.seconds) + Double(settings.timeout.components.attoseconds) / 1e18
        var headers = [
            "Accept": ExpositionFormat.acceptHeader,
            "User-Agent": "tributary-agent/\(TributaryVersion.string)",
            "X-Prometheus-Scrape-Timeout-Seconds": String(format: "%g", seconds),
        ]
        if let token = try bearerToken() { headers["Authorization"] = "Bearer \(token)" }
        if target.scheme == "https" && tls == nil {
            throw ScrapeFailure(reason: .tls, message: "\(target.url): https needs a tls section in the input (at least tls: {ca: …}, or {} for the system's CAs)")
        }
        let deadline = ContinuousClock.now + settings.timeout
        let limit = settings.bodySizeLimit
        var code = 0
        var contentType: String?
        var encoding: String?
        var body: [UInt8] = []
        do {
            try HTTPGetClient.request(
                method: "GET", host: target.host, port: target.port, path: target.path, headers: headers,
                tls: target.scheme == "https" ? tls : nil, timeoutSeconds: max(1, Int(seconds.rounded(.up))), deadline: deadline,
                status: { status in
                    code = status
                    guard status == 200 else { throw ScrapeFailure(reason: .httpStatus, message: "\(target.url) answered HTTP \(status)\(Self.hint(status))") }
                },
                body: { piece in
                    guard body.count + piece.count <= limit else {
                        throw ScrapeFailure(reason: .bodySizeLimit,
                                            message: "\(target.url) answered more than \(limit) bytes (body_size_limit): raise body_size_limit, or expose fewer series")
                    }
                    body += piece
                    guard ContinuousClock.now < deadline else {
                        throw ScrapeFailure(reason: .timeout, message: "\(target.url) did not finish its answer within \(settings.timeout) (timeout)")
                    }
                },
                responseHeader: { name, value in
                    switch name.lowercased() {
                    case "content-type": contentType = value
                    case "content-encoding": encoding = value
                    default: break
                    }
                })
        } catch let failure as ScrapeFailure {
            throw failure
        } catch {
            let failure = Self.classify("\(error)", target: target, code: code)
            guard failure.reason != .timeout else {
                throw ScrapeFailure(reason: .timeout, message: "\(target.url) did not answer within \(settings.timeout) (timeout)")
            }
            throw failure
        }
        guard ContinuousClock.now < deadline + .milliseconds(50) else {
            throw ScrapeFailure(reason: .timeout, message: "\(target.url) did not answer within \(settings.timeout) (timeout)")
        }
        return (body, contentType, encoding)
    }

    private func bearerToken() throws(ScrapeFailure) -> String? {
        if let token = settings.bearerToken { return token }
        guard let file = settings.bearerTokenFile else { return nil }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ScrapeFailure(reason: .credentials, message: "cannot read bearer_token_file \(file)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw ScrapeFailure(reason: .credentials, message: "bearer_token_file \(file) must hold one token on one line")
        }
        return token
    }

    private static func hint(_ status: Int) -> String {
        switch status {
        case 401, 403: return ": check bearer_token / bearer_token_file (or the client certificate)"
        case 404: return ": check metrics_path"
        default: return ""
        }
    }

    /// The HTTP client's error as a failure; its hints speak of nodes, so
    /// they are cut off.
    static func classify(_ text: String, target: ScrapeTarget, code: Int) -> ScrapeFailure {
        var message = text
        if let hint = message.range(of: " (is the node") ?? message.range(of: " (if the node") ?? message.range(of: " (pass the CA")
            ?? message.range(of: " (the port answers without TLS") ?? message.range(of: ": is this the node") {
            message = String(message[..<hint.lowerBound])
        }
        let reason: ScrapeFailure.Reason
        if message.hasPrefix("TLS to") {
            reason = .tls
        } else if message.contains("Resource temporarily unavailable") || message.contains("timed out") || message.contains("Operation now in progress") {
            reason = .timeout
        } else if message.hasPrefix("cannot connect") || message.hasPrefix("cannot resolve") {
            reason = .connect
        } else {
            reason = code == 0 ? .connect : .parse
        }
        return ScrapeFailure(reason: reason, message: "\(target.url): \(message)")
    }
}
