import Foundation

extension QueryFailed {
    /// The `error` of a JSON error answer (Prometheus' envelope), or the
    /// answer as it is.
    static func errorText(_ answer: String) -> String {
        let document = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]
        return (document?["error"] as? String) ?? answer
    }
}
