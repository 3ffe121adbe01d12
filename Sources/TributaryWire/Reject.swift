/// REJECT: the server refuses the HELLO and closes (`proto/PROTOCOL.md` 4.3).
public struct Reject: Hashable, Sendable {
    public var code: Code
    /// 0: do not retry unchanged.
    public var retryAfterMilliseconds: UInt32
    public var reason: String

    public init(code: Code, retryAfterMilliseconds: UInt32 = 0, reason: String) {
        self.code = code
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.reason = reason
    }

    /// Why; unknown codes from newer peers are kept as numbers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let unsupportedVersion = Code(rawValue: 1)
        public static let authFailed = Code(rawValue: 2)
        public static let malformedHello = Code(rawValue: 3)
        public static let notReady = Code(rawValue: 4)
        public static let protocolViolation = Code(rawValue: 5)

        public var description: String {
            switch rawValue {
            case 1: return "UNSUPPORTED_VERSION"
            case 2: return "AUTH_FAILED"
            case 3: return "MALFORMED_HELLO"
            case 4: return "NOT_READY"
            case 5: return "PROTOCOL_VIOLATION"
            default: return "code \(rawValue)"
            }
        }
    }
}
