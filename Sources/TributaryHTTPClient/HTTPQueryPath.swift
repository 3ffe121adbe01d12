import Foundation

/// A request path with its query string, encoded so that servers decoding
/// it as an HTML form does (`+` is a space) read back exactly the values
/// given: URLComponents leaves `+` as it is, so it is escaped as `%2B`.
/// (`{app=~".+"}` sent with a raw `+` arrives as `{app=~". "}`.)
public enum HTTPQueryPath {
    public static func make(_ path: String, _ items: [(name: String, value: String)]) -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems = items.map { URLQueryItem(name: $0.name, value: $0.value) }
        return components.url!.absoluteString.replacingOccurrences(of: "+", with: "%2B")
    }
}
