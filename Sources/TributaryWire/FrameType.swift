/// The frame type byte (`proto/PROTOCOL.md` section 4).
public struct FrameType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let hello = FrameType(rawValue: 0x01)
    public static let welcome = FrameType(rawValue: 0x02)
    public static let reject = FrameType(rawValue: 0x03)
    public static let batch = FrameType(rawValue: 0x10)
    public static let ack = FrameType(rawValue: 0x11)
    public static let nack = FrameType(rawValue: 0x12)
    public static let busy = FrameType(rawValue: 0x13)
    public static let ping = FrameType(rawValue: 0x20)
    public static let pong = FrameType(rawValue: 0x21)
    public static let goAway = FrameType(rawValue: 0x22)
    /// Central configuration (`proto/PROTOCOL.md` section 12), on
    /// connections that negotiated `Capabilities.centralConfig`.
    public static let configRequest = FrameType(rawValue: 0x38)
    public static let config = FrameType(rawValue: 0x39)
    public static let configChanged = FrameType(rawValue: 0x3A)
    public static let configStatus = FrameType(rawValue: 0x3B)
    /// The agent's self-report, only after both peers announced `Capabilities.report`.
    public static let report = FrameType(rawValue: 0x30)

    /// Types reserved for node-to-node traffic (replication, hints, repair):
    /// framed and checksummed here, interpreted by the cluster layer.
    public static let peerRange: ClosedRange<UInt8> = 0x80...0xBF

    public var isPeer: Bool { Self.peerRange.contains(rawValue) }

    /// Whether this build assigns a meaning to the type.
    public var isKnown: Bool {
        isPeer || Self.named[rawValue] != nil
    }

    public var description: String {
        if let name = Self.named[rawValue] { return name }
        let hex = String(rawValue, radix: 16, uppercase: true)
        return isPeer ? "PEER(0x\(hex))" : "type 0x\(hex)"
    }

    private static let named: [UInt8: String] = [
        0x01: "HELLO", 0x02: "WELCOME", 0x03: "REJECT", 0x10: "BATCH", 0x11: "ACK",
        0x12: "NACK", 0x13: "BUSY", 0x20: "PING", 0x21: "PONG", 0x22: "GOAWAY",
        0x38: "CONFIG_REQUEST", 0x39: "CONFIG", 0x3A: "CONFIG_CHANGED", 0x3B: "CONFIG_STATUS",
        0x30: "REPORT",
    ]
}
