import TributaryConfig
import TributaryPush

extension NodeConfiguration {
    /// The `push:` section: limits of the push APIs, each checked for a
    /// sensible range (the labels limit cannot exceed what a batch holds).
    static func readPush(_ section: ConfigReader) throws(ConfigError) -> PushLimits {
        var push = PushLimits()
        push.maxBodyBytes = try section.bytes("max_body_bytes", default: push.maxBodyBytes, range: 1024...(1 << 30))
        push.maxDecompressedBytes = try section.bytes("max_decompressed_bytes", default: push.maxDecompressedBytes, range: 1024...(1 << 30))
        push.maxSeriesPerRequest = try section.int("max_series_per_request", default: push.maxSeriesPerRequest, range: 1...10_000_000)
        push.maxLabelsPerSeries = try section.int("max_labels_per_series", default: push.maxLabelsPerSeries, range: 1...64)
        push.maxRecordsPerRequest = try section.int("max_records_per_request", default: push.maxRecordsPerRequest, range: 1...10_000_000)
        try section.finish()
        return push
    }
}
