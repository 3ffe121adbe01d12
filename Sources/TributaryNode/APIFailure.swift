import Foundation
import Hummingbird
import NIOCore

/// An API error in Prometheus' error envelope:
/// `{"status":"error","errorType":"…","error":"…"}` (plus `position` for a
/// query that does not parse).
struct APIFailure: Error {
    /// The JSON body.
    struct Body: Codable, Equatable {
        var status = "error"
        var errorType: String
        var error: String
        var position: Int?
    }

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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var buffer = ByteBuffer()
        let data = (try? encoder.encode(Body(errorType: type, error: message, position: position))) ?? Data(#"{"status":"error"}"#.utf8)
        buffer.writeBytes(data)
        buffer.writeString("\n")
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buffer))
    }
}
