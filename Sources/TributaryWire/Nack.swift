/// NACK: a batch was not stored (`proto/PROTOCOL.md` 4.6).
public struct Nack: Hashable, Sendable {
    public var sequence: UInt64
    public var disposition: Disposition
    public var code: Code
    public var reason: String

    public init(sequence: UInt64, disposition: Disposition, code: Code, reason: String) {
        self.sequence = sequence
        self.disposition = disposition
        self.code = code
        self.reason = reason
    }

    public enum Disposition: UInt8, Hashable, Sendable {
        /// Send it again later, here or elsewhere.
        case retry = 0
        /// It will never be accepted: drop it and count it.
        case permanent = 1
    }

    /// Why; unknown codes from newer peers are kept as numbers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let malformed = Code(rawValue: 1)
        public static let tooLarge = Code(rawValue: 2)
        public static let tooOld = Code(rawValue: 3)
        public static let tooNew = Code(rawValue: 4)
        public static let agentMismatch = Code(rawValue: 5)
        public static let noQuorum = Code(rawValue: 6)
        public static let storageFailure = Code(rawValue: 7)
        public static let tenantLimit = Code(rawValue: 8)

        public var description: String {
            let names = ["MALFORMED", "TOO_LARGE", "TOO_OLD", "TOO_NEW", "AGENT_MISMATCH", "NO_QUORUM", "STORAGE_FAILURE", "TENANT_LIMIT"]
            return (1...names.count).contains(Int(rawValue)) ? names[Int(rawValue) - 1] : "code \(rawValue)"
        }
    }
}
