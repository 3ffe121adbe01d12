import Foundation
import Hummingbird
import TributaryAPI

/// An API error in Prometheus' error envelope:
/// `{"status":"error","errorType":"…","error":"…"}` (plus `position` for a
/// query that does not parse).
struct APIFailure: Error {
    let status: HTTPResponse.Status
    let type: String
    let message: String
    let position: Int?
    /// Extra response headers (`WWW-Authenticate` on 401).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ type: String, _ message: String, position: Int? = nil) {
        self.status = status
        self.type = type
        self.message = message
        self.position = position
    }

    var response: Response {
        .json(APIErrorBody(errorType: type, error: message, position: position), status: status, headers: headers)
    }
}
