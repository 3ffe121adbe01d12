import Foundation
import Hummingbird

/// Resolves every request's credentials to an `APIIdentity` and enforces
/// its endpoint's `NodeEndpoint.access`, so no route checks credentials
/// itself. Credentials, first match wins:
///
/// 1. `Authorization: Bearer <token>`;
/// 2. `Authorization: Basic base64(<tenant>:<token>)` (what Grafana,
///    Promtail and Fluent Bit configure most easily): the user must be the
///    token's tenant;
/// 3. the connection's verified client certificate, by common name
///    (`tenants[].certificate_names`).
///
/// A presented but unknown or malformed credential is a 401 even where
/// none is needed, so a mistyped token never passes unnoticed. Missing
/// credentials: 401 with `WWW-Authenticate`; a known identity without the
/// endpoint's role: 403 naming the role. A path that is no endpoint needs
/// credentials too (fail closed), then gets the router's 404.
struct NodeAuthMiddleware: RouterMiddleware {
    typealias Context = NodeRequestContext

    let credentials: IngestCredentials
    let settings: NodeHTTPSettings
    /// Refused queries count as query errors, as they did before the middleware.
    var metrics: NodeMetrics?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let endpoint = NodeEndpoint.find(method: request.method.rawValue, path: request.uri.path)
        var refusal: APIFailure?
        switch resolve(request, context) {
        case .failure(let failure): refusal = failure
        case .success(let identity): context.identity = identity
        }
        if refusal == nil { refusal = check(endpoint?.access ?? .metrics, identity: context.identity, endpoint: endpoint) }
        if let refusal {
            if endpoint == .query || endpoint == .queryRange { metrics?.countQueryError() }
            return refusal.response
        }
        return try await next(request, context)
    }

    /// The caller's identity; nil when it presented nothing.
    func resolve(_ request: Request, _ context: Context) -> Result<APIIdentity?, APIFailure> {
        if let header = request.headers[.authorization] {
            return authorization(header).map { $0 }
        }
        if let name = context.clientCertificate?.commonName, let identity = credentials.identity(certificateName: name) {
            return .success(identity)
        }
        return .success(nil)
    }

    /// The identity of an `Authorization` header's value.
    func authorization(_ header: String) -> Result<APIIdentity, APIFailure> {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let scheme = parts.first.map { $0.lowercased() } ?? ""
        let value = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        switch scheme {
        case "bearer":
            guard let identity = credentials.identity(token: value, method: .bearer) else {
                return .failure(Self.unauthorized("the bearer token is not one of this node's tokens (tenants[].tokens)"))
            }
            return .success(identity)
        case "basic":
            guard let basic = BasicCredentials(headerValue: value) else {
                return .failure(Self.unauthorized("basic credentials must be base64 of <tenant>:<token>"))
            }
            return basic.identity(in: credentials)
        default:
            return .failure(Self.unauthorized("unsupported Authorization scheme: send Bearer <token> or Basic <tenant>:<token>"))
        }
    }

    /// Nil when `identity` may call an endpoint with `access`.
    func check(_ access: NodeEndpoint.Access, identity: APIIdentity?, endpoint: NodeEndpoint?) -> APIFailure? {
        let what = endpoint.map { "\($0.method) \($0.path)" } ?? "this path"
        switch access {
        case .open:
            return nil
        case .metrics where !settings.metricsAuth && endpoint == .metrics:
            return nil
        case .metrics:
            return identity == nil ? Self.unauthorized("\(what) needs credentials: Authorization: Bearer <token> (any role)") : nil
        case .role(let role):
            guard let identity else {
                return Self.unauthorized("\(what) needs credentials with the \(role.rawValue) role: Authorization: Bearer <token>, Basic <tenant>:<token>, or a client certificate")
            }
            guard identity.roles.contains(role) else {
                return APIFailure(.forbidden, "forbidden",
                                  "\(what) needs the \(role.rawValue) role; this \(identity.method.rawValue) of tenant \(identity.tenant) has: \(AccessRole.describe(identity.roles))")
            }
            return nil
        }
    }

    static func unauthorized(_ message: String) -> APIFailure {
        var failure = APIFailure(.unauthorized, "unauthorized", message)
        failure.headers[.wwwAuthenticate] = #"Bearer realm="tributary", Basic realm="tributary", charset="UTF-8""#
        return failure
    }
}
