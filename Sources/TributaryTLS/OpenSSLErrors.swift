internal import CTributaryOpenSSL
internal import CTributaryShims

/// OpenSSL's thread-local error queue, read into text.
///
/// Every sequence of OpenSSL calls starts with `clear()` so that an error
/// left by an earlier, unrelated call is never reported against this one.
enum OpenSSLErrors {
    static func clear() {
        ERR_clear_error()
    }

    /// The queued errors as (reason code, text), oldest first; empties the queue.
    static func drain() -> [(reason: Int32, text: String)] {
        var errors: [(Int32, String)] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            errors.append((ctrib_ERR_GET_REASON(code), text))
        }
        return errors
    }

    /// The queued errors' reason strings joined, or `fallback`.
    static func describe(fallback: String) -> String {
        let texts = drain().map { error -> String in
            // "error:0A000086:SSL routines::certificate verify failed" → the last part.
            error.text.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? error.text
        }
        return texts.isEmpty ? fallback : texts.joined(separator: "; ")
    }
}
