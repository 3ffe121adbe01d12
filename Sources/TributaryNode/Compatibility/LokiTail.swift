import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import TributaryModel
import TributaryQuery

/// `GET /loki/api/v1/tail?query=…&start=…&limit=…&delay_for=…` over
/// WebSocket: Grafana's live tail and `logcli --tail`
/// (https://grafana.com/docs/loki/latest/reference/loki-http-api/#stream-logs).
///
/// After the upgrade, the lines since `start` (default an hour ago, at
/// most `limit`, default 100) and then every new line are sent as text
/// messages `{"streams":[{"stream":{…},"values":[["<ns>","<line>"]]}],
/// "dropped_entries":null}`. New lines are found by asking the query
/// path (this node or the cluster) once a second for lines after the last
/// one sent, `delay_for` seconds (0–5) behind now, so lines that reach a
/// replica late are still seen; lines at the last timestamp already sent
/// are not sent twice.
///
/// Browsers, which cannot set `Authorization` on a WebSocket, may send
/// the token as a `Sec-WebSocket-Protocol` instead (`TailSubprotocol`).
///
/// Credentials are checked after the upgrade (Hummingbird's failed upgrade
/// is an empty 400): a refused one, or a bad parameter, closes the socket
/// with code 1008 and the reason. Client certificates are not seen on
/// this path (the upgrade runs outside the request's TLS context): use a
/// token.
struct LokiTail {
    let api: NodeAPI
    let auth: NodeAuthMiddleware

    static let pollInterval: Duration = .seconds(1)
    static let maxDelay = 5

    /// A plain GET (no WebSocket upgrade) is told what to do.
    static func notUpgraded() -> Response {
        LokiJSON.error(APIFailure(.badRequest, "bad_data",
                                  "/loki/api/v1/tail is a WebSocket: connect with Upgrade: websocket (Grafana's live tail, logcli --tail)"))
    }

    /// The checked parameters of one tail.
    struct Parameters {
        let text: String
        let query: LogQuery
        var start: Int64
        let limit: Int
        let delay: Int64

        init(_ form: QueryForm, now: Int64) throws(APIFailure) {
            guard let text = form.get("query"), !text.isEmpty else {
                throw APIFailure(.badRequest, "bad_data", "parameter query: expected a LogQL log query such as {app=\"api\"} |= \"error\"")
            }
            do {
                guard case .logs(let selector) = try QueryExpr.parse(text, language: .logql) else {
                    throw APIFailure(.badRequest, "bad_data", "parameter query: tail needs a log query, not a metric query")
                }
                query = LogQuery(selector)
            } catch let failure as APIFailure {
                throw failure
            } catch {
                throw APIFailure(.badRequest, "bad_data", "parameter query: \(error)")
            }
            self.text = text
            do {
                start = try form.get("start").map { value throws(QueryRequestError) in try LokiParameters.time(value, name: "start", now: now) }
                    ?? QueryRequest.subtract(now, LokiParameters.defaultQueryRange)
            } catch {
                throw APIFailure(.badRequest, "bad_data", error.description)
            }
            if let value = form.get("limit") {
                guard let number = Int(value), (1...QueryRequest.maxLimit).contains(number) else {
                    throw APIFailure(.badRequest, "bad_data", "parameter limit: expected a whole number from 1 to \(QueryRequest.maxLimit), found \"\(value)\"")
                }
                limit = number
            } else {
                limit = QueryRequest.defaultLimit
            }
            if let value = form.get("delay_for") {
                guard let seconds = Int(value), (0...LokiTail.maxDelay).contains(seconds) else {
                    throw APIFailure(.badRequest, "bad_data", "parameter delay_for: expected whole seconds from 0 to \(LokiTail.maxDelay), found \"\(value)\"")
                }
                delay = Int64(seconds) * 1_000_000_000
            } else {
                delay = 0
            }
        }
    }

    /// Runs one tail until the client closes or a write fails.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, context: WebSocketRouterContext<NodeRequestContext>) async {
        let request = context.request
        var tenant = ""
        let resolved: Result<APIIdentity?, APIFailure>
        if request.headers[.authorization] == nil, let token = TailSubprotocol.token(in: request.headers) {
            resolved = auth.authorization("Bearer " + token).map { $0 }
        } else {
            resolved = auth.resolve(request, context.requestContext)
        }
        switch resolved {
        case .failure(let failure):
            try? await outbound.close(.policyViolation, reason: Self.reason(failure.message))
            return
        case .success(let identity):
            if let refusal = auth.check(NodeEndpoint.lokiTail.access, identity: identity, endpoint: .lokiTail) {
                try? await outbound.close(.policyViolation, reason: Self.reason(refusal.message))
                return
            }
            tenant = identity?.tenant ?? ""
        }
        var parameters: Parameters
        do {
            parameters = try Parameters(QueryForm(urlEncoded: Substring(request.uri.query ?? "")), now: Self.now)
        } catch {
            try? await outbound.close(.policyViolation, reason: Self.reason(error.message))
            return
        }
        await withTaskGroup(of: Void.self) { group in
            // The client's messages are read only to notice it leaving.
            group.addTask {
                do { for try await _ in inbound {} } catch {}
            }
            group.addTask { [parameters, tenant] in
                await poll(parameters, tenant: tenant, outbound: outbound)
            }
            await group.next()
            group.cancelAll()
        }
        try? await outbound.close(.normalClosure, reason: nil)
    }

    private func poll(_ initial: Parameters, tenant: String, outbound: WebSocketOutboundWriter) async {
        var parameters = initial
        /// Lines at `parameters.start` already sent (time, labels, line).
        var sentAtStart: Set<String> = []
        while !Task.isCancelled {
            let end = QueryRequest.subtract(Self.now, parameters.delay)
            if end > parameters.start, let lines = await lines(parameters, end: QueryRequest.next(end), tenant: tenant) {
                let fresh = lines.filter { !(($0.timestamp == parameters.start) && sentAtStart.contains(Self.key($0))) }
                if !fresh.isEmpty {
                    do {
                        try await outbound.writeTextMessage(Self.message(fresh))
                    } catch {
                        return
                    }
                }
                if let last = lines.last?.timestamp {
                    if last != parameters.start { sentAtStart = [] }
                    parameters.start = last
                    for line in lines where line.timestamp == last { sentAtStart.insert(Self.key(line)) }
                }
            }
            try? await Task.sleep(for: Self.pollInterval)
        }
    }

    /// The oldest `limit` lines in [start, end), or nil when the query was
    /// refused or failed (tried again at the next poll).
    private func lines(_ parameters: Parameters, end: Int64, tenant: String) async -> [LogLine]? {
        guard case .success(let slot) = await api.queries.admit(tenant: tenant) else { return nil }
        defer { slot.release() }
        let context = QueryContext(budget: slot.budget, pool: api.queries.pool)
        return try? await api.logLines(parameters.query, start: parameters.start, end: end, limit: parameters.limit, direction: .forward,
                                       text: parameters.text, tenant: tenant, context: context).lines
    }

    static func key(_ line: LogLine) -> String {
        "\(line.timestamp) \(line.labels) \(String(buffer: line.message))"
    }

    /// One tail message: the lines grouped by stream, oldest first.
    static func message(_ lines: [LogLine]) -> String {
        var order: [Labels] = []
        var grouped: [Labels: [LogLine]] = [:]
        for line in lines {
            if grouped[line.labels] == nil { order.append(line.labels) }
            grouped[line.labels, default: []].append(line)
        }
        var buffer = ByteBuffer(string: #"{"streams":["#)
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
        buffer.writeString(#"],"dropped_entries":null}"#)
        return String(buffer: buffer)
    }

    /// A close reason fits in 123 bytes (RFC 6455 §5.5).
    static func reason(_ message: String) -> String {
        message.truncatedUTF8(toBytes: 123)
    }

    private static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }
}
