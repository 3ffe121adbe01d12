/// One message (or one piece of a message longer than the framer's limit)
/// from a syslog stream.
public struct SyslogFrame: Sendable, Equatable {
    public var bytes: [UInt8]
    /// More pieces of the same message follow.
    public var continued: Bool

    public init(bytes: [UInt8], continued: Bool) {
        self.bytes = bytes
        self.continued = continued
    }
}

public enum SyslogFramingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An octet-counting length that is not a number (or 0, or too long).
    case badLength(String)
    /// The stream ended inside an octet-counted message.
    case truncated(missing: Int)

    public var description: String {
        switch self {
        case .badLength(let text): return "bad RFC 6587 octet count \"\(text)\" (expected digits then a space)"
        case .truncated(let missing): return "the connection ended \(missing) bytes short of an octet-counted message"
        }
    }
}
