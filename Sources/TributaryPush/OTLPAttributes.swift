import Foundation
import TributaryPushFormats

/// OTLP attribute keys and values as Tributary labels and fields.
enum OTLPAttributes {
    /// A key as a label name: every character outside `[A-Za-z0-9_]`
    /// becomes `_` and a leading digit gets a `key_` prefix, as
    /// Prometheus' OTLP translation does (`service.name` → `service_name`).
    static func labelName(_ key: String) -> String {
        var name = String(key.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_") ? Character(scalar) : "_"
        })
        if let first = name.first, first.isNumber { name = "key_" + name }
        return name.isEmpty ? "_" : name
    }

    /// A value as text: strings as they are, numbers and booleans as
    /// OTLP's JSON writes them, arrays and maps as JSON.
    static func text(_ value: Opentelemetry_Proto_Common_V1_AnyValue) -> String {
        switch value.value {
        case .stringValue(let string): return string
        case .boolValue(let bool): return bool ? "true" : "false"
        case .intValue(let int): return String(int)
        case .doubleValue(let double): return double.isFinite && double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : String(double)
        case .bytesValue(let data): return data.base64EncodedString()
        case .arrayValue, .kvlistValue: return json(value)
        // Indexes into a profile's string table: not used by logs or metrics.
        case .stringValueStrindex, nil: return ""
        }
    }

    private static func json(_ value: Opentelemetry_Proto_Common_V1_AnyValue) -> String {
        func plain(_ value: Opentelemetry_Proto_Common_V1_AnyValue) -> Any {
            switch value.value {
            case .stringValue(let string): return string
            case .boolValue(let bool): return bool
            case .intValue(let int): return int
            case .doubleValue(let double): return double.isFinite ? double : String(double)
            case .bytesValue(let data): return data.base64EncodedString()
            case .arrayValue(let array): return array.values.map(plain)
            case .kvlistValue(let list):
                var object: [String: Any] = [:]
                for pair in list.values { object[pair.key] = plain(pair.value) }
                return object
            case .stringValueStrindex, nil: return NSNull()
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: plain(value), options: [.sortedKeys, .fragmentsAllowed]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Trace and span ids as lower-case hex. OTLP's JSON writes them as
    /// hex, which swift-protobuf's JSON reader took for base64: undo that.
    static func hex(_ id: Data, json: Bool) -> String {
        if json { return id.base64EncodedString() }
        return id.map { String(format: "%02x", $0) }.joined()
    }
}
