import Foundation
internal import CTributaryOpenSSL
import TributaryOpenSSLSupport
internal import CTributaryShims

/// Builds and signs one X.509 v3 certificate with a SHA-256 signature and a
/// random positive 127-bit serial number.
///
/// Extensions other than subjectAltName are given in OpenSSL's configuration
/// syntax (`critical,CA:TRUE,pathlen:0`), the same text `openssl x509 -text`
/// prints, because every value is a constant of ours. subjectAltName is built
/// entry by entry instead: names come from the operator, and the config
/// syntax would read a comma in one as the start of another entry.
struct CertificateBuilder {
    let commonName: String
    let notBefore: Date
    let notAfter: Date
    /// Extensions as (NID, configuration value), added in this order.
    var extensions: [(nid: Int32, value: String)] = []
    var subjectAlternativeNames: [SubjectAlternativeName] = []

    init(commonName: String, notBefore: Date, notAfter: Date) {
        self.commonName = commonName
        self.notBefore = wholeSeconds(notBefore)
        self.notAfter = wholeSeconds(notAfter)
    }

    /// Signs a certificate for `subjectKey`'s public half with `issuerKey`;
    /// `issuer` nil makes it self-signed (issuer name = subject name).
    func sign(subjectKey: PrivateKey, issuer: Certificate?, issuerKey: PrivateKey) throws -> Certificate {
        guard notAfter > notBefore else {
            throw PKIError.invalidValidity("notAfter (\(notAfter)) is not after notBefore (\(notBefore)); swap or widen them")
        }
        for date in [notBefore, notAfter] where !Self.representable.contains(date.timeIntervalSince1970) {
            throw PKIError.invalidValidity("\(date) is outside the years 0001–9999 that a certificate can hold")
        }
        OpenSSLErrorQueue.clear()
        guard let x509 = X509_new() else { throw OpenSSLErrorQueue.failure("allocate a certificate") }
        let certificate = Certificate(taking: x509)

        guard X509_set_version(x509, Int(X509_VERSION_3)) == 1 else { throw OpenSSLErrorQueue.failure("set the certificate version") }
        try setRandomSerialNumber(x509)

        guard let subject = X509_get_subject_name(x509),
              X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, commonName, -1, -1, 0) == 1
        else { throw OpenSSLErrorQueue.failure("set the subject common name \"\(commonName)\" (1 to 64 characters)") }
        let issuerName = issuer.map { X509_get_subject_name($0.pointer) } ?? subject
        guard X509_set_issuer_name(x509, issuerName) == 1 else { throw OpenSSLErrorQueue.failure("set the issuer name") }

        guard ASN1_TIME_set(X509_getm_notBefore(x509), time_t(notBefore.timeIntervalSince1970)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(x509), time_t(notAfter.timeIntervalSince1970)) != nil
        else { throw OpenSSLErrorQueue.failure("set the validity period") }

        guard X509_set_pubkey(x509, subjectKey.pointer) == 1 else { throw OpenSSLErrorQueue.failure("set the public key") }

        try addExtensions(to: x509, issuer: issuer?.pointer ?? x509)
        try addSubjectAlternativeNames(to: x509)

        guard X509_sign(x509, issuerKey.pointer, EVP_sha256()) > 0 else { throw OpenSSLErrorQueue.failure("sign the certificate") }
        return certificate
    }

    /// 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z, the range of an ASN.1
    /// GeneralizedTime (and of `time_t` without overflow).
    private static let representable: ClosedRange<TimeInterval> = -62_135_596_800 ... 253_402_300_799

    private func setRandomSerialNumber(_ x509: OpaquePointer) throws {
        guard let number = BN_new() else { throw OpenSSLErrorQueue.failure("allocate a serial number") }
        defer { BN_free(number) }
        // 127 random bits keep the DER INTEGER positive in 16 bytes; zero is
        // not a valid serial, and drawing it again costs nothing.
        repeat {
            guard BN_rand(number, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 else {
                throw OpenSSLErrorQueue.failure("draw a random serial number")
            }
        } while BN_is_zero(number) == 1
        guard let serial = BN_to_ASN1_INTEGER(number, nil) else { throw OpenSSLErrorQueue.failure("encode the serial number") }
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_serialNumber(x509, serial) == 1 else { throw OpenSSLErrorQueue.failure("set the serial number") }
    }

    /// subjectKeyIdentifier `hash` reads the subject's public key and
    /// authorityKeyIdentifier `keyid` the issuer's subjectKeyIdentifier, so
    /// the public key must be set first.
    private func addExtensions(to x509: OpaquePointer, issuer: OpaquePointer) throws {
        var context = X509V3_CTX()
        ctrib_pki_x509v3_set_ctx_nodb(&context)
        X509V3_set_ctx(&context, issuer, x509, nil, nil, 0)
        for (nid, value) in extensions {
            let name = OBJ_nid2sn(nid).map { String(cString: $0) } ?? "NID \(nid)"
            guard let extensionPointer = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw OpenSSLErrorQueue.failure("make the extension \(name) = \(value)")
            }
            defer { X509_EXTENSION_free(extensionPointer) }
            guard X509_add_ext(x509, extensionPointer, -1) == 1 else {
                throw OpenSSLErrorQueue.failure("add the extension \(name)")
            }
        }
    }

    private func addSubjectAlternativeNames(to x509: OpaquePointer) throws {
        guard !subjectAlternativeNames.isEmpty else { return }
        guard let names = GENERAL_NAMES_new() else { throw OpenSSLErrorQueue.failure("allocate subjectAltName") }
        defer { GENERAL_NAMES_free(names) }
        for entry in subjectAlternativeNames {
            guard let name = GENERAL_NAME_new() else { throw OpenSSLErrorQueue.failure("allocate a subjectAltName entry") }
            let set: Bool
            switch entry {
            case .dns(let dns):
                set = Self.setValue(of: name, type: GEN_DNS, string: ASN1_IA5STRING_new(), bytes: Array(dns.utf8))
            case .ipAddress(let bytes):
                set = Self.setValue(of: name, type: GEN_IPADD, string: ASN1_OCTET_STRING_new(), bytes: bytes)
            }
            guard set, ctrib_pki_general_names_push(names, name) != 0 else {
                GENERAL_NAME_free(name)
                throw OpenSSLErrorQueue.failure("add the subjectAltName entry \(entry)")
            }
        }
        guard X509_add1_ext_i2d(x509, NID_subject_alt_name, UnsafeMutableRawPointer(names), 0, UInt(X509V3_ADD_DEFAULT)) == 1 else {
            throw OpenSSLErrorQueue.failure("add the subjectAltName extension")
        }
    }

    /// Fills `string` with `bytes` and hands it to `name`, which then owns it.
    private static func setValue(of name: UnsafeMutablePointer<GENERAL_NAME>, type: Int32, string: UnsafeMutablePointer<ASN1_STRING>?, bytes: [UInt8]) -> Bool {
        guard let string else { return false }
        guard ASN1_STRING_set(string, bytes, Int32(bytes.count)) == 1 else {
            ASN1_STRING_free(string)
            return false
        }
        GENERAL_NAME_set0_value(name, type, string)
        return true
    }
}

/// ASN.1 times have whole seconds; drop the fraction so what we report is
/// what the certificate says.
private func wholeSeconds(_ date: Date) -> Date {
    Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
}
