import TributaryPatterns

/// Limits of a node's log-pattern mining (`patterns:` in node.yaml is not
/// read yet; these are the defaults). Worst-case memory is about
/// `maxGroups × miner.maxTemplates × retainedBuckets × 16` bytes of counts
/// plus the templates themselves.
public struct LogPatternSettings: Sendable {
    /// Stream groups (tenant × `app`/`service`/stream labels) mined at once;
    /// past it the least recently written group is forgotten.
    public var maxGroups = 100
    /// Width of a count bucket, ns.
    public var bucketNanoseconds: Int64 = 60_000_000_000
    /// Buckets kept per pattern (6 h of one-minute buckets).
    public var retainedBuckets = 360
    public var miner: TemplateMinerConfiguration = {
        var configuration = TemplateMinerConfiguration()
        configuration.maxTemplates = 300
        return configuration
    }()

    public init() {}
}
