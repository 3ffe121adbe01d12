internal import CTributaryOpenSSL

/// OpenSSL's thread-local error queue. Clear it before each sequence of calls
/// so a failure reports its own errors, not leftovers from an earlier call.
enum OpenSSLErrorQueue {
    static func clear() {
        ERR_clear_error()
    }

    /// Empties the queue and returns its entries, oldest first, as
    /// `error:…:library:function:reason` strings joined by "; ".
    static func drain() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "no error reported" : messages.joined(separator: "; ")
    }

    /// A `PKIError.openSSL` for `operation` carrying (and emptying) the queue.
    static func failure(_ operation: String) -> PKIError {
        .openSSL(operation: operation, openSSLErrors: drain())
    }
}
