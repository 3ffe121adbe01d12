import Testing
@testable import TributaryFormats

/// Feeds random and mutated bytes to every parser: nothing may trap, and
/// the few invariants that hold for any input are checked. Seeded, so a
/// failure reproduces.
@Suite struct RandomInputTests {
    static let validLines = [
        #"level=info msg="hello \"world\"" took=12ms ok path=/a/b"#,
        #"{"log":"GET /health 200\n","stream":"stderr","time":"2026-11-22T10:00:00.123456789+02:00"}"#,
        #"{"a":{"b":[1,{"c":"d\u00e9\ud83d\ude00"},-2.5e3]},"t":true,"n":null,"s":"x\"y\\z"}"#,
        "hits:3|c|@0.5|#route:/pay,env\nload:-2|g\nlatency:12.5|ms|#a:b\nusers:alice|s\n_e{1,1}:a|b",
        ProcFixtures.stat, ProcFixtures.meminfo, ProcFixtures.netDev, ProcFixtures.diskstats, ProcFixtures.loadavg,
    ]

    private func exercise(_ bytes: [UInt8], _ aggregator: inout StatsDAggregator) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let pairs = LogfmtParser.parse(text) {
            #expect(!pairs.isEmpty && pairs.allSatisfy { !$0.key.isEmpty })
        }
        let json = bytes.withUnsafeBytes { JSONLineParser.parse($0) }
        _ = JSONLineParser.parse("{" + text)
        _ = JSONLineParser.parse(#"{"k":"# + text + "}")
        _ = bytes.withUnsafeBytes { DockerLogLine.parse($0) }
        _ = DockerLogLine.parse(#"{"log":"# + text + "}")
        _ = RFC3339.nanoseconds(text)
        let statsd = bytes.withUnsafeBytes { StatsDParser.parse($0) }
        #expect(statsd.malformed >= 0)
        for metric in statsd.metrics {
            #expect(metric.value.isFinite && metric.sampleRate > 0 && metric.sampleRate <= 1)
            aggregator.add(metric)
        }
        _ = HostMetricsReader.parseStat(text)
        _ = HostMetricsReader.parseMeminfo(text)
        _ = HostMetricsReader.parseLoadavg(text)
        _ = HostMetricsReader.parseNetDev(text)
        _ = HostMetricsReader.parseDiskstats(text)
        _ = HostMetricsReader.parseMounts(text)
        if json != nil {
            // What the byte parser accepts the string parser accepts when
            // the bytes are valid UTF-8.
            if Array(text.utf8) == bytes { #expect(JSONLineParser.parse(text) != nil) }
        }
    }

    @Test func randomBytes() {
        var random = SplitMix64(seed: 0x7269_6275_7461_7279)
        var aggregator = StatsDAggregator(maxSeries: 500, maxTimerSamples: 16)
        for _ in 0..<4000 {
            let count = Int.random(in: 0...120, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            exercise(bytes, &aggregator)
        }
        _ = aggregator.flush()
    }

    @Test func randomTextFromEachFormatsAlphabet() {
        var random = SplitMix64(seed: 42)
        var aggregator = StatsDAggregator(maxSeries: 500, maxTimerSamples: 16)
        let alphabets = [
            Array(#"{}[]":,\/ ubfnrt0123456789abcdefABCDEF-+.eEtruefalsenull"#.utf8) + [0x0A, 0x09, 0xED, 0xA0, 0x80],
            Array(#"abc=" \ntq_.-/é"#.utf8) + [0x09],
            Array("ab:|@#,.0123456789-+ecgmshdT_{}\n\r ".utf8),
            Array("0123456789-:T.Zz+ ".utf8),
        ]
        for _ in 0..<6000 {
            let alphabet = alphabets[Int.random(in: 0..<alphabets.count, using: &random)]
            let count = Int.random(in: 0...200, using: &random)
            let bytes = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            exercise(bytes, &aggregator)
        }
        _ = aggregator.flush()
    }

    @Test func mutatedValidLines() {
        var random = SplitMix64(seed: 2026)
        var aggregator = StatsDAggregator(maxSeries: 500, maxTimerSamples: 16)
        for _ in 0..<4000 {
            var bytes = Array(Self.validLines[Int.random(in: 0..<Self.validLines.count, using: &random)].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(bytes[Int.random(in: 0..<bytes.count, using: &random)], at: index)
                default: bytes.removeSubrange(index...)
                }
            }
            exercise(bytes, &aggregator)
        }
        _ = aggregator.flush()
    }

    @Test func hugeInputs() {
        var aggregator = StatsDAggregator()
        exercise(Array(repeating: UInt8(ascii: "["), count: 100_000), &aggregator)
        exercise(Array(repeating: UInt8(ascii: "{"), count: 100_000), &aggregator)
        exercise(Array((#"{"a":"# + String(repeating: "\\u0041", count: 20_000) + "\"}").utf8), &aggregator)
        exercise(Array(("m:1|c|#" + String(repeating: "k:v,", count: 10_000)).utf8), &aggregator)
        exercise(Array(String(repeating: "k=v ", count: 20_000).utf8), &aggregator)
        #expect(aggregator.flush().first { $0.name == "m" }?.labels == [KeyValue("k", "v")])
    }
}
