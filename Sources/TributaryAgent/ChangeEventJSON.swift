import Foundation
import NIOCore
import TributaryModel

/// The JSON form of a change event, shared by the agent's event endpoint
/// and `trib event`: `{"type":"deploy","message":"v1.4.2",
/// "labels":{"service":"checkout"},"time":"2026-11-22T10:00:00Z"}`
/// (`time` optional: RFC 3339 or Unix nanoseconds; default now).
public enum ChangeEventJSON {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public static func encode(type: String, message: String, labels: [(String, String)], timestamp: Int64?) -> Data {
        var object: [String: Any] = ["type": type, "message": message, "labels": Dictionary(labels, uniquingKeysWith: { $1 })]
        if let timestamp { object["time"] = timestamp }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    public static func decode(_ body: Data, labels base: Labels) -> Result<ChangeEvent, Problem> {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return .failure(Problem(description: "the body must be a JSON object like {\"type\":\"deploy\",\"message\":\"v1.4.2\",\"labels\":{\"service\":\"checkout\"}}"))
        }
        guard let type = object["type"] as? String, !type.isEmpty, type.utf8.count <= 128 else {
            return .failure(Problem(description: "\"type\" is required: a short name such as deploy, config_change or incident"))
        }
        let message = object["message"] as? String ?? ""
        guard message.utf8.count <= 1 << 20 else { return .failure(Problem(description: "\"message\" is longer than 1 MiB")) }
        var labels = base
        if let extra = object["labels"] {
            guard let pairs = extra as? [String: Any] else { return .failure(Problem(description: "\"labels\" must be an object of strings")) }
            for (name, value) in pairs.sorted(by: { $0.key < $1.key }) {
                guard let text = value as? String else { return .failure(Problem(description: "label \(name) must be a string")) }
                guard let next = try? labels.setting(name, to: text) else {
                    return .failure(Problem(description: "\"\(name)\" is not a label name (letters, digits and _)"))
                }
                labels = next
            }
        }
        var timestamp = FileInput.now()
        if let time = object["time"] {
            if let number = time as? NSNumber {
                timestamp = number.int64Value
            } else if let text = time as? String, let date = ISO8601DateFormatter.withFractions.date(from: text) ?? ISO8601DateFormatter().date(from: text) {
                timestamp = Int64(date.timeIntervalSince1970 * 1e9)
            } else {
                return .failure(Problem(description: "\"time\" must be RFC 3339 (2026-11-22T10:00:00Z) or Unix nanoseconds"))
            }
        }
        return .success(ChangeEvent(type: type, labels: labels, timestamp: timestamp, message: message))
    }

    static func error(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "{\"status\":\"error\",\"error\":\"\(escaped)\"}"
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFractions: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
