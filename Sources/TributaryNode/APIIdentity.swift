/// Who an HTTP request or agent connection is, once its credentials were
/// checked: the tenant whose data it sees and the roles it holds.
public struct APIIdentity: Sendable, Hashable {
    /// How the credential was presented, for messages and logs.
    public enum Method: String, Sendable, Hashable {
        case bearer = "bearer token"
        case basic = "basic auth"
        case certificate = "client certificate"
    }

    public let tenant: String
    public let roles: Set<AccessRole>
    public let method: Method

    public init(tenant: String, roles: Set<AccessRole>, method: Method) {
        self.tenant = tenant
        self.roles = roles
        self.method = method
    }
}
