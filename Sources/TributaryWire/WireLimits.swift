/// Upper bounds the decoder enforces on untrusted input, so that no peer can
/// make a receiver allocate without bound. Defaults are those of
/// `proto/PROTOCOL.md` section 7.
public struct WireLimits: Hashable, Sendable {
    /// Largest frame payload, checked before the payload is buffered.
    public var maxFrameBytes: Int = 8 * 1024 * 1024
    public var maxBatchRecords: Int = 100_000
    /// Largest uncompressed batch body: the hard limit for inflating.
    public var maxBatchRawBytes: Int = 64 * 1024 * 1024
    public var maxStrings: Int = 1_000_000
    public var maxLabelSets: Int = 100_000
    public var maxLabelsPerSet: Int = 64
    public var maxLabelNameBytes: Int = 128
    public var maxStringBytes: Int = 4096
    public var maxMessageBytes: Int = 1024 * 1024
    public var maxFieldsPerRecord: Int = 128
    public var maxFieldValueBytes: Int = 65_536
    public var maxIdentifierBytes: Int = 128
    public var maxTokenBytes: Int = 1024
    public var maxReasonBytes: Int = 1024
    public var maxHostBytes: Int = 255
    public var maxAlternatives: Int = 16
    public var maxVersions: Int = 16

    public init() {}

    public static let `default` = WireLimits()
}
