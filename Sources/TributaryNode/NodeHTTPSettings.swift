/// The `http:` section of node.yaml: how the HTTP API treats endpoints
/// whose protection is a choice. The API itself is HTTPS with the node's
/// `tls:` files (plain HTTP only with `insecure: true`).
public struct NodeHTTPSettings: Sendable, Equatable {
    /// `GET /metrics` needs credentials (any role). Default true: node
    /// counters name peers and show load; Prometheus sends a bearer token
    /// (`authorization: {credentials: …}`) or basic auth.
    public var metricsAuth = true

    public init(metricsAuth: Bool = true) {
        self.metricsAuth = metricsAuth
    }
}
