import TributaryOpenSSLSupport

extension OpenSSLErrorQueue {
    /// Empties the queue and returns its entries as
    /// `error:…:library:function:reason` strings joined by "; ".
    static func drain() -> String {
        fullText(fallback: "no error reported")
    }

    /// A `PKIError.openSSL` for `operation` carrying (and emptying) the queue.
    static func failure(_ operation: String) -> PKIError {
        .openSSL(operation: operation, openSSLErrors: drain())
    }
}
