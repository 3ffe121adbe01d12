/// One `name="value"` pair of a stream's identity.
public struct Label: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let value: String

    /// Creates a label; the name is checked when it joins a `Labels` set.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)=\"\(value)\"" }

    /// Whether `name` is a valid label name: `[A-Za-z_][A-Za-z0-9_]*`, as in
    /// Prometheus and Loki, so every label can appear in a query selector.
    public static func isValidName(_ name: some Collection<UInt8>) -> Bool {
        guard let first = name.first, Self.isNameStart(first) else { return false }
        return name.dropFirst().allSatisfy(Self.isNameContinuation)
    }

    public static func isValidName(_ name: String) -> Bool { isValidName(name.utf8) }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    private static func isNameContinuation(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= 0x30 && byte <= 0x39)
    }
}
