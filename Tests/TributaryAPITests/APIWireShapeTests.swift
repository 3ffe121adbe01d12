import Foundation
import Testing
import TributaryAPI

/// The JSON the node writes with these types keeps the field names, the
/// `null`s and the omissions clients and documentation rely on.
struct APIWireShapeTests {
    private func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func errorBodyIsPrometheusEnvelope() throws {
        #expect(try json(APIErrorBody(errorType: "bad_data", error: "parse error", position: 3))
            == #"{"error":"parse error","errorType":"bad_data","position":3,"status":"error"}"#)
        #expect(try json(APIErrorBody(errorType: "unauthorized", error: "no token")) == #"{"error":"no token","errorType":"unauthorized","status":"error"}"#)
    }

    @Test func absentNodeValuesAreNullNotLeftOut() throws {
        let node = ClusterNodeStatus(id: "node-b", isSelf: false, up: false, removed: false, peer: "127.0.0.1:1", agent: nil, http: nil, zone: nil,
                                     topologyHash: nil, topologyMismatch: false, credentialsDiffer: true, error: nil, hintsPending: 2, hintBytes: 10)
        let text = try json(node)
        for field in [#""agent":null"#, #""http":null"#, #""zone":null"#, #""topology_hash":null"#, #""error":null"#, #""self":false"#,
                      #""credentials_differ":true"#, #""topology_mismatch":false"#, #""hints_pending":2"#, #""hint_bytes":10"#] {
            #expect(text.contains(field), "\(field) in \(text)")
        }
        #expect(try JSONDecoder().decode(ClusterNodeStatus.self, from: Data(text.utf8)) == node)
        #expect(try json(ClusterEpochStatus(from: nil, nodes: ["a"], shards: 4)) == #"{"from":null,"nodes":["a"],"shards":4}"#)
        let repair = ClusterRepairStatus(passes: 0, running: false, lastPass: nil, compared: 0, differing: 0, repairedPartitions: 0, copiedRecords: 0,
                                         lastError: nil)
        #expect(try json(repair).contains(#""last_pass":null"#))
        #expect(try json(repair).contains(#""last_error":null"#))
    }

    @Test func openPartitionsHaveNoRecordsOrDigest() throws {
        #expect(try json(PartitionListEntry(start: "s", end: "e", name: "n", sealed: false)) == #"{"end":"e","name":"n","sealed":false,"start":"s"}"#)
        #expect(try json(PartitionListEntry(start: "s", end: "e", name: "n", sealed: true, records: 5, sha256: "ab"))
            == #"{"end":"e","name":"n","records":5,"sealed":true,"sha256":"ab","start":"s"}"#)
    }

    @Test func decodesLogAndMetricAnswersAsTheNodeStreamsThem() throws {
        let logs = #"""
            {"status":"success","data":{"resultType":"lines","lines":[{"time":"2026-01-01T00:00:00.000000001Z","ns":"1","labels":{"app":"a"},"severity":"error","fields":{"k":"v","k":"w"},"line":"boom"}]},"stats":{"partitions":1,"nodes":2,"lines":1,"seconds":0.1},"partial":true,"missing":[{"start":"a","end":"b","shards":4,"missing_shards":[1,3]}],"warnings":["partial result"]}
            """#
        let answer = try JSONDecoder().decode(QueryResponse.self, from: Data(logs.utf8))
        #expect(answer.data?.lines?.first?.line == "boom")
        #expect(answer.data?.lines?.first?.labels == ["app": "a"])
        #expect(answer.partial == true)
        #expect(answer.missing?.first?.missingShards == [1, 3])
        #expect(answer.warnings == ["partial result"])

        let matrix = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1700000000.5,"+Inf"],[1700000030,"2"]]}]}}"#
        let series = try JSONDecoder().decode(QueryResponse.self, from: Data(matrix.utf8)).data?.result
        #expect(series?.first?.values.map(\.seconds) == [1_700_000_000.5, 1_700_000_030])
        #expect(series?.first?.values.map(\.value) == ["+Inf", "2"])

        let failure = try JSONDecoder().decode(QueryResponse.self, from: Data(#"{"status":"error","errorType":"bad_data","error":"x","position":7}"#.utf8))
        #expect(failure.data == nil && failure.error == "x" && failure.position == 7)
    }
}
