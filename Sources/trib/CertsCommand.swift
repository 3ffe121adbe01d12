import ArgumentParser
import Foundation
import TributaryPKI

/// `trib certs`: a development CA and TLS certificates for nodes and agents.
struct CertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Create a development CA and issue certificates for nodes and agents",
        discussion: """
            Uses DIR/ca.pem and DIR/ca.key as the CA, creating them the first time \
            (ECDSA P-256, valid 10 years) and reusing them after, so every certificate \
            issued from DIR is trusted by the same ca.pem. For each NAME it writes \
            DIR/NAME.pem (mode 0644) and DIR/NAME.key (unencrypted PKCS#8, mode 0600), \
            replacing earlier ones: usable as server and client certificates, with NAME \
            and localhost as DNS names and the --ip addresses as IP addresses.

            For development and testing only: production should use the \
            organisation's PKI.
            """
    )

    static let defaultIPAddresses = ["127.0.0.1", "::1"]

    @Option(help: ArgumentHelp("Directory for ca.pem, ca.key and the issued files; created if missing.", valueName: "dir"))
    var out: String

    @Option(
        name: .customLong("ip"),
        help: ArgumentHelp(
            "An IP address (IPv4 or IPv6) for every certificate's subjectAltName; repeat for more. (default: 127.0.0.1 and ::1 when no --ip is given)",
            valueName: "addr"))
    var ipAddresses: [String] = []

    @Option(
        name: .customLong("dns"),
        help: ArgumentHelp(
            "Another DNS name for every certificate; {name} stands for each NAME (--dns '{name}.trib-node.tributary.svc.cluster.local'). Repeat for more.",
            valueName: "name"))
    var dnsNames: [String] = []

    @Option(help: "Days the issued certificates are valid, 1 to 3650.")
    var days = 365

    @Option(help: "Key type of the issued certificates.")
    var keyType: KeyType = .ecdsaP256

    @Argument(help: ArgumentHelp(
        "Nodes and agents to issue for: each NAME is the common name, a DNS name and the file name.",
        valueName: "name"))
    var names: [String] = []

    func validate() throws {
        guard !names.isEmpty else { throw ValidationError("give at least one NAME to issue a certificate for, like node-a") }
        if let twice = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ValidationError("NAME \(twice) is given twice; each NAME gets its own files")
        }
        guard (1...3650).contains(days) else { throw ValidationError("--days must be 1 to 3650, not \(days)") }
        for name in names {
            do {
                try CertificateFiles.checkName(name)
            } catch {
                throw ValidationError(String(describing: error))
            }
        }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        let caCertificate = directory.appendingPathComponent(CertificateFiles.authorityCertificateName)
        let caKey = directory.appendingPathComponent(CertificateFiles.authorityKeyName)
        let caExisted = FileManager.default.fileExists(atPath: caCertificate.path)
        let authority = try CertificateAuthority.loadOrCreate(directory: directory)
        if caExisted {
            print("CA reused: \(caCertificate.path) (key \(caKey.path))")
        } else {
            print("CA created: \(caCertificate.path) (key \(caKey.path), mode 0600)")
        }

        // Issue everything before writing anything, so a bad name or address
        // leaves no half-done set of files.
        let ipAddresses = ipAddresses.isEmpty ? Self.defaultIPAddresses : ipAddresses
        let notAfter = Date() + Double(days) * 86400
        let issued = try names.map { name in
            try authority.issue(
                commonName: name, dnsNames: [name, "localhost"] + dnsNames.map { $0.replacingOccurrences(of: "{name}", with: name) },
                ipAddresses: ipAddresses,
                notAfter: notAfter, keyType: keyType)
        }
        for (name, certificate) in zip(names, issued) {
            let files = try CertificateFiles.write(certificate, name: name, to: directory)
            let alternativeNames = certificate.dnsNames.map { "DNS:\($0)" } + certificate.ipAddresses.map { "IP:\($0)" }
            print("\(name): \(files.certificate.path) (key \(files.key.path), mode 0600)")
            print("  subjectAltName \(alternativeNames.joined(separator: ", "))")
            print("  \(keyType.rawValue), expires \(certificate.notAfter.formatted(.iso8601))")
        }
        print("Give \(caCertificate.lastPathComponent) to every node and agent to trust; keep \(caKey.lastPathComponent) private.")
    }
}
