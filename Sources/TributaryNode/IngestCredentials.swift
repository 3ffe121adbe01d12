import TributaryOpenSSLSupport
/// Who may connect, into which tenant, and with which roles: tokens and
/// client-certificate names, each mapped to a tenant. Agents (wire
/// protocol) need the `ingest` role; HTTP endpoints name theirs
/// (`NodeEndpoint.access`).
public struct IngestCredentials: Sendable, Equatable {
    /// Token → tenant.
    public var tokens: [String: String]
    /// Client certificate common name → tenant (mutual TLS).
    public var certificateNames: [String: String]
    /// Token → roles, for tokens configured with roles; a token missing
    /// here has `AccessRole.defaults` (ingest and query).
    public var tokenRoles: [String: Set<AccessRole>]
    /// Certificate name → roles, likewise.
    public var certificateRoles: [String: Set<AccessRole>]

    public init(tokens: [String: String] = [:], certificateNames: [String: String] = [:],
                tokenRoles: [String: Set<AccessRole>] = [:], certificateRoles: [String: Set<AccessRole>] = [:]) {
        self.tokens = tokens
        self.certificateNames = certificateNames
        self.tokenRoles = tokenRoles
        self.certificateRoles = certificateRoles
    }

    /// The identity a token grants, or nil for an unknown token.
    public func identity(token: String, method: APIIdentity.Method = .bearer) -> APIIdentity? {
        guard let tenant = tokens[token] else { return nil }
        return APIIdentity(tenant: tenant, roles: tokenRoles[token] ?? AccessRole.defaults, method: method)
    }

    /// The identity a verified client certificate's common name grants.
    public func identity(certificateName: String) -> APIIdentity? {
        guard let tenant = certificateNames[certificateName] else { return nil }
        return APIIdentity(tenant: tenant, roles: certificateRoles[certificateName] ?? AccessRole.defaults, method: .certificate)
    }

    /// The tenant an agent sends into: its HELLO's token or, when the token
    /// is empty or unknown, the connection's verified certificate name;
    /// either must hold the `ingest` role.
    func tenant(token: [UInt8], certificateName: String?) -> String? {
        ingestIdentity(token: token, certificateName: certificateName)?.tenant
    }

    /// Why `tenant(token:certificateName:)` refused, for the REJECT.
    func refusal(token: [UInt8], certificateName: String?) -> String {
        if let known = knownIdentity(token: token, certificateName: certificateName), !known.roles.contains(.ingest) {
            let what = known.method == .certificate ? "a client certificate" : "a token"
            return "\(what) of tenant \(known.tenant) without the ingest role (its roles: \(AccessRole.describe(known.roles)))"
        }
        return token.isEmpty ? "no token and no known client certificate" : "an unknown token"
    }

    private func ingestIdentity(token: [UInt8], certificateName: String?) -> APIIdentity? {
        guard let known = knownIdentity(token: token, certificateName: certificateName), known.roles.contains(.ingest) else { return nil }
        return known
    }

    private func knownIdentity(token: [UInt8], certificateName: String?) -> APIIdentity? {
        if !token.isEmpty, let identity = identity(token: String(decoding: token, as: UTF8.self)) {
            return identity
        }
        if let name = certificateName, let identity = identity(certificateName: name) {
            return identity
        }
        return nil
    }
}

extension IngestCredentials {
    /// A fingerprint of every tenant, token, certificate name and role,
    /// exchanged between nodes (PEER_HELLO) so that a cluster whose nodes
    /// were given different tenants says so instead of answering 401 on
    /// some nodes and 200 on others. SHA-256 of a canonical listing; the
    /// tokens themselves never leave the node.
    public var fingerprint: String {
        var lines: [String] = []
        for (token, tenant) in tokens {
            let roles = (tokenRoles[token] ?? AccessRole.defaults).map(\.rawValue).sorted().joined(separator: ",")
            lines.append("token \(SHA256Digest.hex(Array(token.utf8))) \(tenant) \(roles)")
        }
        for (name, tenant) in certificateNames {
            let roles = (certificateRoles[name] ?? AccessRole.defaults).map(\.rawValue).sorted().joined(separator: ",")
            lines.append("certificate \(name) \(tenant) \(roles)")
        }
        return String(SHA256Digest.hex(Array(lines.sorted().joined(separator: "\n").utf8)).prefix(16))
    }
}
