import Foundation
import Hummingbird
import NIOCore

extension Response {
    /// The encoder of every typed API answer: keys sorted so answers are
    /// stable, slashes as they are.
    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `value` as a JSON answer (one document and a newline).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(Self.encodedJSON(value))
        buffer.writeString("\n")
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buffer))
    }

    /// The JSON bytes of `value`; the error envelope if it cannot be encoded.
    static func encodedJSON(_ value: some Encodable) -> Data {
        do {
            return try jsonEncoder().encode(value)
        } catch {
            return Data(#"{"status":"error","errorType":"internal","error":"the answer could not be encoded as JSON"}"#.utf8)
        }
    }
}
