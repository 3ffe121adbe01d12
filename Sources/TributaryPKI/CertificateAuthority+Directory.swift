import Foundation

extension CertificateAuthority {
    /// The CA kept in `directory` as `ca.pem` and `ca.key`: created (and the
    /// directory with it) on first use, loaded on every use after, so all
    /// certificates issued from one directory share one CA.
    ///
    /// If only one of the two files exists the CA is not silently replaced,
    /// which would orphan every certificate issued so far; the error says
    /// which file is missing and how to recover.
    public static func loadOrCreate(directory: URL) throws -> CertificateAuthority {
        let certificate = directory.appendingPathComponent(CertificateFiles.authorityCertificateName)
        let key = directory.appendingPathComponent(CertificateFiles.authorityKeyName)
        let files = FileManager.default
        switch (files.fileExists(atPath: certificate.path), files.fileExists(atPath: key.path)) {
        case (true, true):
            return try CertificateAuthority(
                certificatePEM: CertificateFiles.read(certificate),
                privateKeyPEM: CertificateFiles.read(key),
                certificateSource: certificate.path,
                keySource: key.path)
        case (true, false):
            throw PKIError.incompleteAuthority(present: certificate.path, missing: key.path)
        case (false, true):
            throw PKIError.incompleteAuthority(present: key.path, missing: certificate.path)
        case (false, false):
            try CertificateFiles.createDirectory(directory)
            let authority = try create()
            // The key first: a crash in between leaves a key without a
            // certificate, never a certificate whose key is lost.
            try CertificateFiles.writeAtomically(
                authority.privateKeyPEM, to: key, mode: CertificateFiles.keyMode, replacing: false)
            try CertificateFiles.writeAtomically(
                authority.certificatePEM, to: certificate, mode: CertificateFiles.certificateMode, replacing: false)
            return authority
        }
    }
}
