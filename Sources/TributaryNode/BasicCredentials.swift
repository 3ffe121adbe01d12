import Foundation

/// HTTP Basic credentials (RFC 7617) as Tributary reads them: the user is
/// the tenant's name and the password one of its tokens, which is what
/// Grafana, Promtail and Fluent Bit configure most easily. A user that is
/// not the token's tenant is refused, so a copy-pasted token never shows
/// another tenant's data under the wrong name.
struct BasicCredentials: Equatable {
    let user: String
    let password: String

    /// The credentials of `Authorization: Basic <value>`, or nil when the
    /// value is not base64 of UTF-8 `user:password`.
    init?(headerValue value: String) {
        guard let data = Data(base64Encoded: value.trimmingCharacters(in: .whitespaces)),
              let decoded = String(data: data, encoding: .utf8),
              let colon = decoded.firstIndex(of: ":") else { return nil }
        user = String(decoded[..<colon])
        password = String(decoded[decoded.index(after: colon)...])
    }

    /// The identity these credentials stand for, or why they are refused.
    func identity(in credentials: IngestCredentials) -> Result<APIIdentity, APIFailure> {
        guard let identity = credentials.identity(token: password, method: .basic) else {
            return .failure(NodeAuthMiddleware.unauthorized("the basic auth password is not one of this node's tokens (tenants[].tokens)"))
        }
        guard identity.tenant == user else {
            return .failure(NodeAuthMiddleware.unauthorized("basic auth user \"\(user)\" is not the tenant of this token: use the tenant's name as the user"))
        }
        return .success(identity)
    }
}
