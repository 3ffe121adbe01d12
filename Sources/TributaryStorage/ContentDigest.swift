import CTributaryOpenSSL

/// SHA-256 over the bytes of a sealed partition's files, in order: equal on
/// every node that holds the same records, because sealed blocks are
/// written canonically. Lowercase hex.
enum ContentDigest {
    static func sha256(files paths: [String]) throws(StorageError) -> String {
        guard let context = EVP_MD_CTX_new() else { throw .io(path: paths.first ?? "", operation: "hashing", errno: ENOMEM) }
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for path in paths {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw SegmentFile.error(path, "opening", errno) }
            defer { close(descriptor) }
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw SegmentFile.error(path, "reading", errno) }
                if count == 0 { break }
                buffer.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress!, count) }
            }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest.prefix(Int(length)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
