/// A field parsed from a line (`level=info` → ("level", "info")) or a
/// metric label.
public struct KeyValue: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

extension KeyValue: CustomStringConvertible {
    public var description: String { "\(key)=\(value)" }
}
