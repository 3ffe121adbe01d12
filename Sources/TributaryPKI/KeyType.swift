/// The kind of key pair made for an issued certificate.
public enum KeyType: String, Sendable, CaseIterable {
    /// ECDSA on NIST P-256 (prime256v1): small, fast, and what Tributary uses
    /// unless told otherwise.
    case ecdsaP256 = "ecdsa-p256"
    /// RSA with a 2048-bit modulus, for peers that cannot do ECDSA.
    case rsa2048 = "rsa-2048"
}
