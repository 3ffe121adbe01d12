/// What a credential may do. A token (or client certificate) carries one
/// or more roles; each HTTP endpoint and the wire protocol's HELLO name the
/// role they need.
///
/// - `ingest`: send batches over the wire protocol (agents, `trib event --node`).
/// - `query`: `GET /api/v1/query_range`, `/api/v1/query`, `/api/v1/partitions`
///   (the credential's tenant only).
/// - `admin`: cluster-wide views and actions that cross tenants:
///   `GET /api/v1/cluster`, `POST /api/v1/cluster/repair`.
public enum AccessRole: String, Sendable, CaseIterable, Comparable {
    case ingest
    case query
    case admin

    /// The roles of a token or certificate name configured without any
    /// (the plain `tokens: [..]` list form): what agent tokens could always do.
    public static let defaults: Set<AccessRole> = [.ingest, .query]

    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// `ingest, query` (sorted), or `none`.
    static func describe(_ roles: Set<AccessRole>) -> String {
        roles.isEmpty ? "none" : roles.sorted().map(\.rawValue).joined(separator: ", ")
    }
}
