import Testing
import TributaryConfig
import TributaryNode

/// The `push:` section of node.yaml: limits read with units, defaults
/// without it, and a clear error for a bad value or key.
@Suite struct PushConfigurationTests {
    static func read(_ extra: String) throws(ConfigError) -> NodeConfiguration {
        try NodeConfigurationTests.read(NodeConfigurationTests.valid + "\n" + extra)
    }

    @Test func pushLimitsAreReadWithUnits() throws {
        let configuration = try Self.read("""
            push:
              max_body_bytes: 4MiB
              max_decompressed_bytes: 32MiB
              max_series_per_request: 5000
              max_labels_per_series: 30
              max_records_per_request: 20000
            """)
        #expect(configuration.push.maxBodyBytes == 4 << 20)
        #expect(configuration.push.maxDecompressedBytes == 32 << 20)
        #expect(configuration.push.maxSeriesPerRequest == 5000)
        #expect(configuration.push.maxLabelsPerSeries == 30)
        #expect(configuration.push.maxRecordsPerRequest == 20000)
    }

    @Test func withoutTheSectionTheDefaultsHold() throws {
        let configuration = try NodeConfigurationTests.read(NodeConfigurationTests.valid)
        #expect(configuration.push.maxBodyBytes == 16 << 20 && configuration.push.maxDecompressedBytes == 64 << 20)
        #expect(configuration.push.maxLabelsPerSeries == 64)
    }

    @Test func badValuesAndUnknownKeysNameTheKey() throws {
        for (yaml, key) in [("push:\n  max_labels_per_series: 100", "max_labels_per_series"), ("push:\n  max_body_byte: 1MiB", "max_body_byte"),
                            ("push:\n  max_decompressed_bytes: lots", "max_decompressed_bytes")] {
            let error = #expect(throws: ConfigError.self) { try Self.read(yaml) }
            #expect(String(describing: error).contains(key), "\(String(describing: error))")
        }
    }
}
