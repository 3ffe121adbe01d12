import Foundation
import TributaryAPI

extension QueryFailed {
    /// The `error` of a JSON error answer (Prometheus' envelope), or the
    /// answer as it is.
    static func errorText(_ answer: String) -> String {
        (try? JSONDecoder().decode(QueryResponse.self, from: Data(answer.utf8)))?.error ?? answer
    }
}
