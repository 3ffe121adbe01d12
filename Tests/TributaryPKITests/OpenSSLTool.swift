import Foundation
import Testing
import TributaryTestSupport

/// The `openssl` command-line tool, an independent judge of what
/// TributaryPKI writes. It is a required test dependency (see README).
enum OpenSSLTool {
    static func run(_ arguments: String...) throws -> ProcessResult {
        try run(arguments)
    }

    static func run(_ arguments: [String]) throws -> ProcessResult {
        let openssl = try #require(ProcessResult.which("openssl"), "openssl is required: apt-get install openssl")
        return try ProcessResult.run(openssl, arguments)
    }

    /// `openssl x509 -noout -text` of a PEM certificate file.
    static func text(ofCertificate path: URL) throws -> String {
        let result = try run("x509", "-in", path.path, "-noout", "-text")
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    /// `openssl x509 -noout -text` of PEM certificate text.
    static func text(ofCertificatePEM pem: String) throws -> String {
        try TestFiles.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("certificate.pem")
            try pem.write(to: file, atomically: true, encoding: .utf8)
            return try text(ofCertificate: file)
        }
    }

    /// `openssl verify -x509_strict -CAfile ca [-purpose purpose] certificate`.
    static func verify(_ certificate: URL, caFile: URL, purpose: String? = nil) throws -> ProcessResult {
        let purposeArguments = purpose.map { ["-purpose", $0] } ?? []
        return try run(["verify", "-x509_strict", "-CAfile", caFile.path] + purposeArguments + [certificate.path])
    }
}
