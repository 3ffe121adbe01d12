import Foundation

/// Why the development certificate authority could not do its job. Each
/// description says what was wrong and what the operator can do about it.
public enum PKIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file could not be read (missing, permissions, a directory, …).
    case unreadableFile(path: String, reason: String)
    /// A file or directory could not be written.
    case unwritableFile(path: String, reason: String)
    /// Text that should hold a PEM certificate or private key does not.
    /// `source` is a path, or a description when the PEM came from memory.
    case invalidPEM(source: String, expected: String, openSSLErrors: String)
    /// The CA certificate was not issued for the CA private key.
    case keyMismatch(certificate: String, key: String)
    /// The certificate offered as a CA is not allowed to sign certificates.
    case notACertificateAuthority(source: String)
    /// Only one of the CA's two files exists.
    case incompleteAuthority(present: String, missing: String)
    /// An IP address for a subjectAltName is not a valid IPv4 or IPv6 address.
    case invalidIPAddress(String)
    /// A DNS name for a subjectAltName is empty, too long or has characters DNS does not allow.
    case invalidDNSName(String)
    /// A name for certificate files is empty, would leave the directory, or
    /// would overwrite the CA's files.
    case invalidName(String)
    /// A validity period that ends before it starts, or a non-positive length.
    case invalidValidity(String)
    /// An empty passphrase for an encrypted private key.
    case emptyPassphrase
    /// OpenSSL refused an operation; `openSSLErrors` is its error queue.
    case openSSL(operation: String, openSSLErrors: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason); check that the file exists and is readable by this user"
        case .unwritableFile(let path, let reason):
            return "cannot write \(path): \(reason); check that the directory exists and is writable by this user"
        case .invalidPEM(let source, let expected, let errors):
            return "\(source) does not hold a PEM \(expected) (OpenSSL: \(errors)); "
                + "check that it is the right file, or restore it from a backup"
        case .keyMismatch(let certificate, let key):
            return "the CA certificate \(certificate) does not belong to the private key \(key); "
                + "restore the matching pair from a backup, or remove both to create a new CA "
                + "(certificates issued by the old CA will then no longer verify)"
        case .notACertificateAuthority(let source):
            return "\(source) is not a CA certificate (basicConstraints CA:TRUE is missing), so it cannot sign "
                + "certificates; use the ca.pem written by `trib certs`"
        case .incompleteAuthority(let present, let missing):
            return "\(present) exists but \(missing) is missing; restore \(missing) from a backup, "
                + "or remove \(present) to create a new CA (certificates issued by the old CA will then no longer verify)"
        case .invalidIPAddress(let address):
            return "\"\(address)\" is not an IPv4 or IPv6 address; write it like 127.0.0.1 or ::1 (no port, brackets or zone)"
        case .invalidDNSName(let name):
            return "\"\(name)\" is not a DNS name; use letters, digits, \"-\", \".\", \"_\" (and \"*\" for a wildcard), "
                + "like node-a or node-a.example.com"
        case .invalidName(let name):
            return "\"\(name)\" cannot name certificate files; use a non-empty name without \"/\" "
                + "other than \".\", \"..\" and \"ca\" (ca.pem and ca.key hold the CA)"
        case .invalidValidity(let reason):
            return "invalid validity period: \(reason)"
        case .emptyPassphrase:
            return "the passphrase for the encrypted private key is empty; choose a non-empty passphrase"
        case .openSSL(let operation, let errors):
            return "OpenSSL could not \(operation): \(errors); if the input looks right, check the "
                + "OpenSSL 3 installation (openssl version) and report this message"
        }
    }
}
