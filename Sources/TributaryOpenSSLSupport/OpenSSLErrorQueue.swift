internal import CTributaryOpenSSL
internal import CTributaryShims

/// OpenSSL's thread-local error queue, shared by the TLS layer and the
/// development CA.
///
/// Every sequence of OpenSSL calls starts with `clear()`, so an error left
/// by an earlier, unrelated call is never reported against this one.
package enum OpenSSLErrorQueue {
    /// One queued error: the reason code (for mapping to a named error) and
    /// OpenSSL's text, `error:0A000086:SSL routines::certificate verify failed`.
    package struct Entry: Sendable {
        package let reason: Int32
        package let text: String

        /// The last part of the text: `certificate verify failed`.
        package var reasonText: String {
            text.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? text
        }
    }

    package static func clear() {
        ERR_clear_error()
    }

    /// The queued errors, oldest first; empties the queue.
    package static func entries() -> [Entry] {
        var entries: [Entry] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            entries.append(Entry(reason: ctrib_ERR_GET_REASON(code), text: text))
        }
        return entries
    }

    /// The queued errors' reasons joined by "; ", or `fallback`; empties the queue.
    package static func describe(fallback: String) -> String {
        let reasons = entries().map(\.reasonText)
        return reasons.isEmpty ? fallback : reasons.joined(separator: "; ")
    }

    /// The queued errors' full texts joined by "; ", or `fallback`; empties the queue.
    package static func fullText(fallback: String) -> String {
        let texts = entries().map(\.text)
        return texts.isEmpty ? fallback : texts.joined(separator: "; ")
    }
}
