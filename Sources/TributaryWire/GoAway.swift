/// GOAWAY: no new batches on this connection; every batch received is still
/// answered before the sender closes (`proto/PROTOCOL.md` 4.9).
public struct GoAway: Hashable, Sendable {
    public var code: Code
    public var reason: String
    /// Other nodes' agent addresses, `host:port`.
    public var alternatives: [String]

    public init(code: Code, reason: String, alternatives: [String] = []) {
        self.code = code
        self.reason = reason
        self.alternatives = alternatives
    }

    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let shutdown = Code(rawValue: 1)
        public static let draining = Code(rawValue: 2)
        public static let rebalance = Code(rawValue: 3)
        public static let protocolError = Code(rawValue: 4)
        public static let idleTimeout = Code(rawValue: 5)

        public var description: String {
            let names = ["SHUTDOWN", "DRAINING", "REBALANCE", "PROTOCOL_ERROR", "IDLE_TIMEOUT"]
            return (1...names.count).contains(Int(rawValue)) ? names[Int(rawValue) - 1] : "code \(rawValue)"
        }
    }
}
