import Foundation
import Testing
import TributaryTestSupport

/// Remote write on its column path (series and samples straight to metric
/// batches) against a real node: a request cut into several batches and
/// spread over several hourly partitions, samples outside the accepted
/// window dropped with a 400, a retried request stored once, and every
/// acknowledged sample still there after the node is killed (SIGKILL) and
/// restarted from its write-ahead log.
@Suite struct RemoteWriteBatchingProcessTests {
    @Test func largeRequestsAcrossBucketsSurviveAKillAndRetriesAreStoredOnce() async throws {
        let setup = try NodeSetup()
        var (node, _, http) = try await setup.startWithHTTP()
        let end = PushHTTP.now / 1_000_000 - 60_000
        // Three series of 10,000 samples one second apart (2.8 hours: three
        // or four hourly partitions); 30,000 samples are two batches.
        let series = (0..<3).map { index in
            (labels: [("__name__", "batched_total"), ("job", "columns"), ("instance", "host-\(index)")],
             samples: (0..<10_000).map { (end - Int64(9_999 - $0) * 1000, Double($0 + index)) })
        }
        // The same series again with one sample of 1971: dropped, the rest kept.
        let late = [(labels: [("__name__", "batched_total"), ("job", "columns"), ("instance", "host-0")], samples: [(Int64(31_536_000_000), 1.0)])]
        let body = try PushHostileTests.remoteWrite(series + late)
        for attempt in 0..<2 {
            let answer = try PushHTTP.post(port: http, "/api/v1/write", body: body, headers: PushHostileTests.protobuf)
            #expect(answer.status == 400, "attempt \(attempt): \(answer.status) \(answer.body)")
            #expect(answer.body.contains("1 of 30001 records were dropped") && answer.body.contains("max_record_age"), "\(answer.body)")
        }
        let query = PushClientTests.form(["query": "sum(count_over_time(batched_total[4h]))"])
        var count = try NodeHTTP.get(port: http, "/api/v1/query?" + query)
        #expect(PushClientTests.value(count) == 30_000, "\(count.body.prefix(400))")

        node.signal(SIGKILL)
        _ = await node.waitForExit()
        (node, _, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        count = try NodeHTTP.get(port: http, "/api/v1/query?" + query)
        #expect(PushClientTests.value(count) == 30_000, "after the restart: \(count.body.prefix(400))")
        let sum = try NodeHTTP.get(port: http, "/api/v1/query?" + PushClientTests.form(["query": #"sum_over_time(batched_total{instance="host-2"}[4h])"#]))
        // 2 + 3 + … + 10,001.
        #expect(PushClientTests.value(sum) == Double((2...10_001).reduce(0, +)), "\(sum.body.prefix(400))")
    }
}
