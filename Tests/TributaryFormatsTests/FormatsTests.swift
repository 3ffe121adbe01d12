import Testing
import TributaryFormats

@Suite struct LogfmtAndJSONTests {
    @Test func logfmtPairsQuotesAndBareKeys() {
        #expect(LogfmtParser.parse(#"level=info msg="hello \"world\"" took=12ms ok"#) == [
            KeyValue("level", "info"), KeyValue("msg", #"hello "world""#), KeyValue("took", "12ms"), KeyValue("ok", ""),
        ])
        #expect(LogfmtParser.parse("just a sentence") == nil)
        #expect(LogfmtParser.parse(#"msg="unterminated"#) == nil)
    }

    @Test func jsonIsFlattened() {
        let pairs = JSONLineParser.parse(#" {"level":"warn","http":{"status":503,"path":"/pay"},"tags":["a", "b"],"ok":false,"n":null,"s":"\u00e9\ud83d\ude00\n"} "#)
        #expect(pairs == [
            KeyValue("level", "warn"), KeyValue("http.status", "503"), KeyValue("http.path", "/pay"),
            KeyValue("tags", #"["a","b"]"#), KeyValue("ok", "false"), KeyValue("n", "null"), KeyValue("s", "é😀\n"),
        ])
        #expect(JSONLineParser.parse("[1,2]") == nil)
        #expect(JSONLineParser.parse(#"{"a":1} trailing"#) == nil)
        #expect(JSONLineParser.parse(#"{"a":"#) == nil)
        let deep = String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40)
        #expect(JSONLineParser.parse(deep) == nil)
    }

    @Test func dockerLinesAndPartials() {
        let line = DockerLogLine.parse(#"{"log":"GET /health 200\n","stream":"stderr","time":"2026-11-22T10:00:00.123456789Z"}"#)
        #expect(line == DockerLogLine(log: "GET /health 200", stream: "stderr", timestamp: 1_795_341_600_123_456_789, partial: false))
        #expect(DockerLogLine.parse(#"{"log":"first half","stream":"stdout","time":"2026-11-22T10:00:00Z"}"#)?.partial == true)
        #expect(DockerLogLine.parse("not json") == nil)
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = LogfmtParser.parse(text)
            _ = JSONLineParser.parse("{" + text)
            _ = DockerLogLine.parse(text)
            _ = StatsDParser.parse(text)
        }
    }
}

@Suite struct StatsDTests {
    @Test func parsesEveryTypeWithRatesAndTags() {
        let (metrics, malformed) = StatsDParser.parse("hits:3|c|@0.5|#route:/pay,env:prod\nload:-2|g\nlatency:12.5|ms\nusers:alice|s\nbroken line\nx:1|zz")
        #expect(malformed == 2)
        #expect(metrics == [
            StatsDMetric(name: "hits", value: 3, kind: .counter, sampleRate: 0.5, tags: [KeyValue("route", "/pay"), KeyValue("env", "prod")]),
            StatsDMetric(name: "load", value: -2, kind: .gauge(delta: true)),
            StatsDMetric(name: "latency", value: 12.5, kind: .timer),
            StatsDMetric(name: "users", value: 1, kind: .set, setMember: "alice"),
        ])
    }

    @Test func aggregatesAcrossFlushes() {
        var aggregator = StatsDAggregator()
        for metric in StatsDParser.parse("hits:3|c|@0.5\nhits:1|c\ntemp:20|g\ntemp:+2|g\nt:10|ms\nt:30|ms\nu:a|s\nu:a|s\nu:b|s").metrics {
            aggregator.add(metric)
        }
        let first = aggregator.flush()
        func value(_ samples: [AggregatedSample], _ name: String, _ labels: [KeyValue] = []) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
        #expect(value(first, "hits") == 7)
        #expect(value(first, "temp") == 22)
        #expect(value(first, "t_count") == 2)
        #expect(value(first, "t_sum") == 40)
        #expect(value(first, "t_max") == 30)
        #expect(value(first, "t", [KeyValue("quantile", "0.5")]) == 10)
        #expect(value(first, "u") == 2)
        aggregator.add(StatsDMetric(name: "hits", value: 1, kind: .counter))
        let second = aggregator.flush()
        #expect(value(second, "hits") == 8, "counters are running totals")
        #expect(value(second, "temp") == 22, "gauges persist")
        #expect(value(second, "t_count") == nil, "timers are per interval")
    }

    @Test func seriesBeyondTheLimitAreDroppedAndCounted() {
        var aggregator = StatsDAggregator(maxSeries: 3, maxTimerSamples: 10)
        for index in 0..<5 { aggregator.add(StatsDMetric(name: "c\(index)", value: 1, kind: .counter)) }
        #expect(aggregator.droppedSeries == 2)
        for value in 0..<1000 { aggregator.add(StatsDMetric(name: "c0", value: Double(value), kind: .counter)) }
        #expect(aggregator.flush().count == 3)
    }
}

@Suite struct HostMetricsTests {
    @Test func parsesProcFiles() {
        let stat = HostMetricsReader.parseStat("cpu  10 0 5 100 0 0 0 0 0 0\ncpu0 200 1 50 1000 2 0 3 0 0 0\nintr 1 2\n")
        #expect(stat.count == 8)
        #expect(stat.first { $0.labels.contains(KeyValue("mode", "user")) }?.value == 2.0)
        let memory = HostMetricsReader.parseMeminfo("MemTotal:       24000000 kB\nMemFree:        1000 kB\nMemAvailable:   2000 kB\nHugePages_Total: 0\n")
        #expect(memory.first { $0.name == "node_memory_MemTotal_bytes" }?.value == 24_576_000_000.0)
        #expect(HostMetricsReader.parseLoadavg("0.50 0.25 0.10 1/300 1234\n").map(\.value) == [0.5, 0.25, 0.1])
        let network = HostMetricsReader.parseNetDev("""
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0
              eth0: 5000 40 1 0 0 0 0 0 7000 50 2 0 0 0 0 0
            """)
        #expect(network.first { $0.name == "node_network_receive_bytes_total" }?.value == 5000)
        #expect(network.allSatisfy { $0.labels == [KeyValue("device", "eth0")] })
        let disks = HostMetricsReader.parseDiskstats("   7       0 loop0 1 0 2 0 0 0 0 0 0 0 0 0 0\n 254       0 vda 100 0 800 10 50 0 400 5 0 20 15 0 0 0 0\n")
        #expect(disks.first { $0.name == "node_disk_read_bytes_total" }?.value == 409_600.0)
        #expect(disks.allSatisfy { $0.labels == [KeyValue("device", "vda")] })
    }

    @Test func readsThisMachine() {
        let (samples, _) = HostMetricsReader().read()
        #expect(samples.contains { $0.name == "node_cpu_seconds_total" })
        #expect((samples.first { $0.name == "node_memory_MemTotal_bytes" }?.value ?? 0) > 0)
        #expect(samples.contains { $0.name == "node_load1" })
    }
}
