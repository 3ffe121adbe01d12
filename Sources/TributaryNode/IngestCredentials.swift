/// Who may send, and into which tenant: agent tokens and client-certificate
/// names, each mapped to a tenant.
public struct IngestCredentials: Sendable {
    /// Token → tenant.
    public var tokens: [String: String]
    /// Client certificate common name → tenant (mutual TLS).
    public var certificateNames: [String: String]

    public init(tokens: [String: String] = [:], certificateNames: [String: String] = [:]) {
        self.tokens = tokens
        self.certificateNames = certificateNames
    }

    /// The tenant for a HELLO's token or, failing that, the connection's
    /// verified certificate name.
    func tenant(token: [UInt8], certificateName: String?) -> String? {
        if !token.isEmpty, let tenant = tokens[String(decoding: token, as: UTF8.self)] {
            return tenant
        }
        if let name = certificateName, let tenant = certificateNames[name] {
            return tenant
        }
        return nil
    }
}
