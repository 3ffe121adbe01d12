import Testing
import TributaryModel
import TributaryPush
import TributaryPushFormats
import TributaryWire

/// Remote-write requests as columns: series once each, runs in request
/// order, nanosecond timestamps, values bit for bit, and filtering.
@Suite struct RemoteWriteRequestTests {
    @Test func seriesAreListedOnceAndRunsKeepTheRequestOrder() throws {
        let stale = Double(bitPattern: 0x7FF0_0000_0000_0002)
        var message = RemoteWriteStreamsTests.request()
        message.timeseries[1].samples[0].value = stale
        let bytes: [UInt8] = try message.serializedBytes()
        let cache = RemoteWriteSeriesCache()
        let request = try RemoteWriteDecoder.decodeRequest(bytes, limits: .default, cache: cache)
        #expect(request.series.map(\.streamLabels) == [try Labels(["__name__": "up", "job": "a"]), try Labels(["__name__": "up", "job": "b"])])
        #expect(request.runs.map(\.series) == [0, 1, 0])
        #expect(request.runs.map(\.samples) == [0..<2, 2..<3, 3..<4])
        #expect(request.timestamps == [1_000_000_000, 2_000_000_000, 1_000_000_000, 3_000_000_000])
        #expect(request.values[2] == stale.bitPattern)
        #expect(request.records() == (try RemoteWriteDecoder.decode(bytes, limits: .default)))
        // A second request finds the same series in the cache.
        let again = try RemoteWriteDecoder.decodeRequest(bytes, limits: .default, cache: cache)
        #expect(again.series.map(\.id) == request.series.map(\.id) && !request.series.contains { $0.id == 0 })
    }

    @Test func theColumnsEncodeToTheRequestsRecords() throws {
        let bytes: [UInt8] = try RemoteWriteStreamsTests.request().serializedBytes()
        let request = try RemoteWriteDecoder.decodeRequest(bytes, limits: .default, cache: RemoteWriteSeriesCache())
        let batch = try MetricBatchEncoder().encode(series: request.batchSeries, runs: request.runs[...], timestamps: request.timestamps,
                                                    values: request.values, agentID: "~push-remote_write", sequence: 1)
        #expect(try BatchDecoder().decode(batch) == request.records())
    }

    @Test func filteringKeepsOnlyAcceptedSamplesAndDropsEmptyRuns() throws {
        let bytes: [UInt8] = try RemoteWriteStreamsTests.request().serializedBytes()
        let request = try RemoteWriteDecoder.decodeRequest(bytes, limits: .default, cache: nil)
        let kept = request.filter { $0 != 1_000_000_000 }
        #expect(kept.sampleCount == 2)
        #expect(kept.runs.map(\.series) == [0, 2] && kept.runs.map(\.samples) == [0..<1, 1..<2])
        #expect(kept.records() == request.records().filter { $0.timestamp != 1_000_000_000 })
    }
}
