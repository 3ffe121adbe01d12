import Testing
import TributaryModel
import TributaryPush
import TributaryPushFormats

/// The streams a remote-write request lists for the storage: each series
/// with samples once, as labels with `__name__`, in request order.
@Suite struct RemoteWriteStreamsTests {
    static func request() -> Prometheus_WriteRequest {
        var request = Prometheus_WriteRequest()
        request.timeseries = [
            RemoteWriteDecoderTests.series(["__name__": "up", "job": "a"], [(1_000, 1), (2_000, 1)]),
            RemoteWriteDecoderTests.series(["__name__": "up", "job": "b"], [(1_000, 0)]),
            // The first series again, and one without samples (no records, no stream).
            RemoteWriteDecoderTests.series(["__name__": "up", "job": "a"], [(3_000, 1)]),
            RemoteWriteDecoderTests.series(["__name__": "idle", "job": "c"], []),
        ]
        return request
    }

    @Test func eachSeriesWithSamplesIsListedOnceWithItsName() throws {
        let expected = [try Labels(["__name__": "up", "job": "a"]), try Labels(["__name__": "up", "job": "b"])]
        let cache = RemoteWriteSeriesCache()
        for pass in 0..<2 {
            var streams: [Labels] = []
            let records = try RemoteWriteDecoder.decode(try Self.request().serializedBytes(), limits: .default, cache: cache, streams: &streams)
            #expect(records.count == 4)
            #expect(streams == expected, "pass \(pass): \(streams)")
            // Every record's stream is listed.
            for case .metric(let sample) in records {
                #expect(streams.contains(try sample.labels.setting("__name__", to: sample.name)))
            }
        }
        #expect(cache.count == 3)
    }

    @Test func withoutACacheEverySeriesWithSamplesIsListed() throws {
        var streams: [Labels] = []
        _ = try RemoteWriteDecoder.decode(try Self.request().serializedBytes(), limits: .default, cache: nil, streams: &streams)
        #expect(streams.count == 3)
        #expect(Set(streams).count == 2)
    }
}
