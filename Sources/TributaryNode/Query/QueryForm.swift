import Hummingbird
import NIOCore

/// The parameters of a query request, decoded as HTML forms are
/// (`application/x-www-form-urlencoded`): `+` is a space, then `%XX`
/// escapes. Hummingbird's `uri.queryParameters` only percent-decodes, so
/// `sum(rate(x[5m]))+1` sent by a form would keep its `+` and
/// `a+b` from Grafana would not be `a b`; every query parameter is read here.
///
/// A POST with a form body (as Prometheus' API and Grafana allow) adds
/// its fields; a field in the body wins over the same one in the URL, as
/// in Go's `Request.FormValue`.
struct QueryForm: Sendable {
    /// Form bodies larger than this are refused (a peer controls the size).
    static let maxBodyBytes = 1 << 20

    private(set) var values: [String: String] = [:]
    /// Every value of each name, in order (`match[]` repeats).
    private(set) var lists: [String: [String]] = [:]

    init(urlEncoded text: Substring) {
        add(text, replacing: false)
    }

    /// The first value of `name`.
    func get(_ name: String) -> String? { values[name] }

    /// Every value of `name` (URL first, then the body).
    func all(_ name: String) -> [String] { lists[name] ?? [] }

    private mutating func add(_ text: Substring, replacing: Bool) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if replacing || values[name] == nil { values[name] = value }
            lists[name, default: []].append(value)
        }
    }

    /// `+` → space, `%XX` → the byte; a malformed escape stays as written.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if iterator.count >= 2, let high = hex(iterator[iterator.startIndex]), let low = hex(iterator[iterator.startIndex + 1]) {
                    bytes.append(high << 4 | low)
                    iterator = iterator.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The URL's query string and, for a form POST, the body's fields.
    static func read(_ request: Request) async -> Result<QueryForm, APIFailure> {
        var form = QueryForm(urlEncoded: Substring(request.uri.query ?? ""))
        guard request.method == .post else { return .success(form) }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            return .failure(APIFailure(.unsupportedMediaType, "bad_data",
                                       "send the parameters as a form (Content-Type: application/x-www-form-urlencoded) or in the URL, found Content-Type \"\(type)\""))
        }
        do {
            let body = try await request.body.collect(upTo: maxBodyBytes)
            form.add(Substring(String(buffer: body)), replacing: true)
        } catch {
            return .failure(APIFailure(.contentTooLarge, "bad_data", "the form body is larger than \(maxBodyBytes >> 20) MiB: send a shorter query"))
        }
        return .success(form)
    }
}
