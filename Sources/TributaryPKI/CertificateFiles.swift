import Foundation
import TributaryDurability
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Certificates and keys on disk: their names, their modes, and writing them
/// so a private key is never readable by others, not even for a moment.
///
/// A directory managed by `trib certs` holds:
///
///     ca.pem       the CA certificate (0644): give it to every node and agent
///     ca.key       the CA private key (0600): keep it on the machine that issues
///     NAME.pem     a node's or agent's certificate (0644)
///     NAME.key     its private key, unencrypted PKCS#8 (0600)
public enum CertificateFiles {
    public static let authorityCertificateName = "ca.pem"
    public static let authorityKeyName = "ca.key"
    public static let certificateExtension = "pem"
    public static let keyExtension = "key"
    /// Certificates are public.
    public static let certificateMode: mode_t = 0o644
    /// Private keys are for the owner only.
    public static let keyMode: mode_t = 0o600
    /// No certificate or key file is anywhere near this large.
    static let maximumFileSize = 1 << 20

    /// Writes `DIR/NAME.pem` (0644) and `DIR/NAME.key` (0600), replacing
    /// earlier ones. `directory` must exist.
    @discardableResult
    public static func write(_ issued: IssuedCertificate, name: String, to directory: URL) throws -> (certificate: URL, key: URL) {
        try checkName(name)
        let certificate = directory.appendingPathComponent("\(name).\(certificateExtension)")
        let key = directory.appendingPathComponent("\(name).\(keyExtension)")
        try writeAtomically(issued.privateKeyPEM, to: key, mode: keyMode, replacing: true)
        try writeAtomically(issued.certificatePEM, to: certificate, mode: certificateMode, replacing: true)
        return (certificate, key)
    }

    /// Throws `PKIError.invalidName` unless `name` can name a certificate's
    /// files: not empty, no "/" (so they stay in the directory), and not "ca",
    /// whose files are the CA's own.
    public static func checkName(_ name: String) throws {
        let authorityName = (authorityCertificateName as NSString).deletingPathExtension
        guard !name.isEmpty, !name.contains("/"), !name.contains("\0"), name != ".", name != "..", name != authorityName else {
            throw PKIError.invalidName(name)
        }
    }

    /// Creates `directory` and any missing parents (mode 0755, less the umask).
    static func createDirectory(_ directory: URL) throws {
        var path = ""
        for component in directory.standardizedFileURL.path.split(separator: "/") {
            path += "/\(component)"
            var status = stat()
            if stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR { continue }
            guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
                throw PKIError.unwritableFile(path: directory.path, reason: "cannot create \(path): \(errnoText())")
            }
        }
    }

    /// Writes `text` to a new temporary file in the same directory, created
    /// with `mode` (and set to exactly `mode` before the first byte, whatever
    /// the umask), then moves it into place: readers see the old file or the
    /// whole new one, and an existing file's looser mode is never inherited.
    /// With `replacing` false an existing file is left alone and reported.
    static func writeAtomically(_ text: String, to url: URL, mode: mode_t, replacing: Bool) throws {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw PKIError.unwritableFile(path: path, reason: errnoText()) }
        var temporaryExists = true
        defer { if temporaryExists { unlink(temporary) } }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode) == 0 else { throw PKIError.unwritableFile(path: path, reason: errnoText()) }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw PKIError.unwritableFile(path: path, reason: errnoText()) }
                bytes = bytes.dropFirst(written)
            }
            guard fsync(descriptor) == 0 else { throw PKIError.unwritableFile(path: path, reason: errnoText()) }
        }
        if replacing {
            guard rename(temporary, path) == 0 else { throw PKIError.unwritableFile(path: path, reason: errnoText()) }
            temporaryExists = false
        } else if link(temporary, path) != 0 {
            let reason = errno == EEXIST ? "it already exists (made by another `trib certs` at the same time?); run again to use it" : errnoText()
            throw PKIError.unwritableFile(path: path, reason: reason)
        }
        do {
            try DurableFile.syncDirectory(containing: path)
        } catch {
            throw PKIError.unwritableFile(path: path, reason: error.description)
        }
    }

    /// The contents of a small text file, with the path in any error.
    static func read(_ url: URL) throws -> String {
        let path = url.path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PKIError.unreadableFile(path: path, reason: errnoText()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw PKIError.unreadableFile(path: path, reason: errnoText()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw PKIError.unreadableFile(path: path, reason: "not a regular file") }
        guard status.st_size <= maximumFileSize else {
            throw PKIError.unreadableFile(path: path, reason: "it is \(status.st_size) bytes, too large for a certificate or key")
        }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while contents.count <= maximumFileSize {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw PKIError.unreadableFile(path: path, reason: errnoText()) }
            if count == 0 { break }
            contents += buffer[..<count]
        }
        return String(decoding: contents, as: UTF8.self)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

// `write` and `read` inside `CertificateFiles` would mean its own methods.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes.baseAddress, bytes.count)
    #else
    Darwin.write(descriptor, bytes.baseAddress, bytes.count)
    #endif
}

private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawBufferPointer) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, bytes.baseAddress, bytes.count)
    #else
    Darwin.read(descriptor, bytes.baseAddress, bytes.count)
    #endif
}
