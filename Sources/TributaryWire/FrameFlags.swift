/// The header's 16 flag bits.
public struct FrameFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The BATCH body is one raw DEFLATE stream.
    public static let compressed = FrameFlags(rawValue: 0x0001)

    /// The flags a frame of `type` may carry; node-to-node types define
    /// their own and are not checked here.
    static func allowed(for type: FrameType) -> FrameFlags {
        if type.isPeer { return FrameFlags(rawValue: 0xFFFF) }
        return type == .batch ? .compressed : []
    }
}
