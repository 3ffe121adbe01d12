import HTTPTypes
import Hummingbird
import NIOCore
import TributaryConsole

/// Answers the web console's open routes from `ConsoleAssets`: gzip when
/// the browser accepts it, a strong ETag with `Cache-Control: no-cache`
/// (asset names carry no version, so browsers revalidate and get a 304
/// until the node is upgraded), and headers that keep the page from being
/// framed or loading anything from elsewhere.
enum ConsoleResponder {
    /// The shell for every page path.
    static func shell(_ request: Request) -> Response {
        respond(ConsoleAssets.shell, request)
    }

    static func asset(named name: String, _ request: Request) -> Response {
        guard let asset = ConsoleAssets.all[name] else {
            return APIFailure(.notFound, "not_found", "/console/\(name) is not a file of the web console").response
        }
        return respond(asset, request)
    }

    static func respond(_ asset: ConsoleAsset, _ request: Request) -> Response {
        var headers: HTTPFields = [
            .contentType: asset.contentType,
            .eTag: asset.etag,
            .cacheControl: "no-cache",
            .vary: "Accept-Encoding",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
        if asset.name == "index.html" {
            headers[HTTPField.Name("Content-Security-Policy")!] =
                "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'"
        }
        if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag }) {
            return Response(status: .notModified, headers: headers)
        }
        let gzip = (request.headers[.acceptEncoding] ?? "").split(separator: ",").contains {
            $0.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "gzip"
        }
        if gzip {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.gzip))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.identity))
    }
}
