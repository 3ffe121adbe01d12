import Foundation
import NIOCore
import NIOHTTP1

/// What each path of the agent's HTTP port answers: status, content type
/// and body.
struct AgentHTTPRoutes: Sendable {
    typealias Answer = (status: HTTPResponseStatus, contentType: String, body: String)

    let metrics: AgentMetrics
    let events: EventIntake
    let health: @Sendable () -> String

    static let eventsPath = "/api/v1/events"
    private static let text = "text/plain; charset=utf-8"

    static func path(of head: HTTPRequestHead) -> String {
        head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
    }

    /// True for the one request answered asynchronously (it waits for the spool).
    static func isEvent(_ head: HTTPRequestHead) -> Bool {
        head.method == .POST && path(of: head) == eventsPath
    }

    /// Every request but a posted event, answered at once.
    func answer(_ head: HTTPRequestHead) -> Answer {
        let path = Self.path(of: head)
        switch (head.method, path) {
        case (.GET, "/metrics"), (.HEAD, "/metrics"):
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics.page())
        case (.GET, "/healthz"), (.HEAD, "/healthz"):
            return (.ok, Self.text, health())
        case (_, "/metrics"), (_, "/healthz"), (_, Self.eventsPath):
            return (.methodNotAllowed, Self.text, "\(head.method) is not allowed on \(path)\n")
        default:
            return (.notFound, Self.text, "no such path: \(path) (the agent serves /metrics, /healthz and POST \(Self.eventsPath))\n")
        }
    }

    /// A posted change event: 202 once it is in the spool.
    func acceptEvent(_ body: ByteBuffer, tooLarge: Bool) async -> Answer {
        if tooLarge {
            return (.payloadTooLarge, "application/json", #"{"error":"the event is larger than \#(AgentHTTPServer.maxBodyBytes) bytes"}"# + "\n")
        }
        let (status, text) = await events.accept(Data(body.readableBytesView))
        return (HTTPResponseStatus(statusCode: status), "application/json", text + "\n")
    }
}
