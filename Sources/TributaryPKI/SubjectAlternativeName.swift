#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One subjectAltName entry, checked before any OpenSSL call so a bad entry
/// is reported as the operator wrote it.
enum SubjectAlternativeName: Equatable {
    /// A DNS name (IA5String: printable ASCII, no spaces).
    case dns(String)
    /// The 4 (IPv4) or 16 (IPv6) bytes of an address, in network order.
    case ipAddress([UInt8])

    /// A DNS name entry: letters, digits, `-`, `.`, `_` and `*` (for a
    /// wildcard), at most 253 characters. Label syntax is left to the TLS
    /// peer that matches names.
    static func dnsName(_ name: String) throws -> SubjectAlternativeName {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._*")
        guard !name.isEmpty, name.utf8.count <= 253, name.allSatisfy(allowed.contains) else {
            throw PKIError.invalidDNSName(name)
        }
        return .dns(name)
    }

    /// An IP address entry from its text form (`127.0.0.1`, `::1`).
    /// `inet_pton` is strict: no ports, brackets, zones or short forms like
    /// `127.1`, which OpenSSL's own parser would partly accept.
    static func ipAddress(_ text: String) throws -> SubjectAlternativeName {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return .ipAddress(withUnsafeBytes(of: &v4) { Array($0) })
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return .ipAddress(withUnsafeBytes(of: &v6) { Array($0) })
        }
        throw PKIError.invalidIPAddress(text)
    }
}
