import Testing
@testable import TributaryFormats

@Suite struct StatsDAggregatorTests {
    private func add(_ packet: String, to aggregator: inout StatsDAggregator) {
        let (metrics, malformed) = StatsDParser.parse(packet)
        #expect(malformed == 0)
        for metric in metrics { aggregator.add(metric) }
    }

    private func counter(_ name: String, _ labels: [KeyValue], _ value: Double) -> AggregatedSample {
        AggregatedSample(name: name, labels: labels, value: value, kind: .counter)
    }

    private func counter(_ name: String, _ value: Double) -> AggregatedSample {
        counter(name, [], value)
    }

    private func gauge(_ name: String, _ labels: [KeyValue], _ value: Double) -> AggregatedSample {
        AggregatedSample(name: name, labels: labels, value: value, kind: .gauge)
    }

    private func gauge(_ name: String, _ value: Double) -> AggregatedSample {
        gauge(name, [], value)
    }

    @Test func semanticsAcrossTwoFlushes() {
        var aggregator = StatsDAggregator()
        add("""
            hits:3|c|@0.5
            hits:1|c
            hits:1|c|#route:/pay
            temp:20|g
            temp:+2|g
            temp:-5|g
            t:10|ms
            t:30|ms
            t:20|ms|@0.5
            u:a|s
            u:a|s
            u:b|s
            """, to: &aggregator)
        #expect(aggregator.flush() == [
            counter("hits", 7),
            counter("hits", [KeyValue("route", "/pay")], 1),
            gauge("t", [KeyValue("quantile", "0.5")], 20),
            gauge("t", [KeyValue("quantile", "0.9")], 30),
            gauge("t", [KeyValue("quantile", "0.99")], 30),
            gauge("t_count", 4),
            gauge("t_max", 30),
            gauge("t_mean", 20),
            gauge("t_min", 10),
            gauge("t_sum", 80),
            gauge("temp", 17),
            gauge("u", 2),
        ])
        add("hits:2|c\nu:c|s", to: &aggregator)
        #expect(aggregator.flush() == [
            counter("hits", 9),
            counter("hits", [KeyValue("route", "/pay")], 1),
            gauge("temp", 17),
            gauge("u", 1),
        ], "counters keep their totals, gauges persist, timers and sets are per interval")
        #expect(aggregator.flush() == [counter("hits", 9), counter("hits", [KeyValue("route", "/pay")], 1), gauge("temp", 17)])
    }

    @Test func newGaugesStartFromZeroForDeltas() {
        var aggregator = StatsDAggregator()
        add("up:+3|g\ndown:-3|g\nrated:10|g|@0.5", to: &aggregator)
        #expect(aggregator.flush() == [gauge("down", -3), gauge("rated", 10), gauge("up", 3)], "sample rates do not apply to gauges")
    }

    @Test func namesAndLabelsAreSanitized() {
        var aggregator = StatsDAggregator()
        add("api.requests-total:1|c|#Env:prod,5xx:yes,status code:200,env:dev,canary,env:final,é:x\n2xx.count:1|c\nhéllo:1|g", to: &aggregator)
        aggregator.add(StatsDMetric(name: "ns:metric", value: 1, kind: .counter))
        aggregator.add(StatsDMetric(name: "", value: 1, kind: .counter))
        aggregator.add(StatsDMetric(name: "😀", value: 2, kind: .counter))
        #expect(aggregator.flush() == [
            counter("_", 3),
            counter("_2xx_count", 1),
            counter("api_requests_total", [
                KeyValue("Env", "prod"), KeyValue("_", "x"), KeyValue("_5xx", "yes"), KeyValue("canary", "true"), KeyValue("env", "final"),
                KeyValue("status_code", "200"),
            ], 1),
            gauge("h_llo", 1),
            counter("ns:metric", 1),
        ])
    }

    @Test func rejectedMetrics() {
        var aggregator = StatsDAggregator()
        add("c:-1|c", to: &aggregator)
        aggregator.add(StatsDMetric(name: "g", value: .nan, kind: .gauge(delta: false)))
        aggregator.add(StatsDMetric(name: "t", value: .infinity, kind: .timer))
        aggregator.add(StatsDMetric(name: "s", value: 1, kind: .set, setMember: nil))
        #expect(aggregator.rejectedMetrics == 4)
        #expect(aggregator.seriesCount == 0)
        aggregator.add(StatsDMetric(name: "c", value: 2, kind: .counter, sampleRate: 0))
        aggregator.add(StatsDMetric(name: "c", value: 2, kind: .counter, sampleRate: .nan))
        #expect(aggregator.flush() == [counter("c", 4)], "an impossible sample rate counts as 1")
    }

    @Test func seriesBeyondTheLimitAreDroppedAndCounted() {
        var aggregator = StatsDAggregator(maxSeries: 3, maxTimerSamples: 10)
        for index in 0..<5 { aggregator.add(StatsDMetric(name: "c\(index)", value: 1, kind: .counter)) }
        #expect(aggregator.droppedSeries == 2)
        for _ in 0..<1000 { aggregator.add(StatsDMetric(name: "c0", value: 1, kind: .counter)) }
        aggregator.add(StatsDMetric(name: "g", value: 1, kind: .gauge(delta: false)))
        aggregator.add(StatsDMetric(name: "c1", value: 1, kind: .counter, tags: [KeyValue("new", "label")]))
        #expect(aggregator.droppedSeries == 4, "a new label set is a new series")
        #expect(aggregator.flush() == [counter("c0", 1001), counter("c1", 1), counter("c2", 1)])
    }

    @Test func flushFreesTimerAndSetSlots() {
        var aggregator = StatsDAggregator(maxSeries: 2)
        aggregator.add(StatsDMetric(name: "a", value: 1, kind: .counter))
        aggregator.add(StatsDMetric(name: "t", value: 1, kind: .timer))
        aggregator.add(StatsDMetric(name: "u", value: 1, kind: .timer))
        aggregator.add(StatsDMetric(name: "s", value: 1, kind: .set, setMember: "x"))
        #expect(aggregator.droppedSeries == 2)
        #expect(aggregator.flush().map(\.name) == ["a", "t", "t", "t", "t_count", "t_max", "t_mean", "t_min", "t_sum"])
        aggregator.add(StatsDMetric(name: "s", value: 1, kind: .set, setMember: "x"))
        #expect(aggregator.droppedSeries == 2)
        #expect(aggregator.flush() == [counter("a", 1), gauge("s", 1)])
    }

    @Test func timerReservoirIsBounded() {
        var aggregator = StatsDAggregator(maxSeries: 10, maxTimerSamples: 10, expireAfterIdleFlushes: nil, seed: 42)
        for value in 1...1000 { aggregator.add(StatsDMetric(name: "lat", value: Double(value), kind: .timer)) }
        #expect(aggregator.reservoirSize(name: "lat") == 10)
        let samples = aggregator.flush()
        func value(_ name: String, _ labels: [KeyValue] = []) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
        #expect(value("lat_count") == 1000)
        #expect(value("lat_sum") == 500_500)
        #expect(value("lat_min") == 1)
        #expect(value("lat_max") == 1000)
        #expect(value("lat_mean") == 500.5)
        let p50 = value("lat", [KeyValue("quantile", "0.5")]) ?? -1
        let p90 = value("lat", [KeyValue("quantile", "0.9")]) ?? -1
        let p99 = value("lat", [KeyValue("quantile", "0.99")]) ?? -1
        #expect(1 <= p50 && p50 <= p90 && p90 <= p99 && p99 <= 1000)
        #expect(aggregator.reservoirSize(name: "lat") == nil, "flushed")
    }

    @Test func reservoirStaysRepresentative() {
        var aggregator = StatsDAggregator(maxSeries: 10, maxTimerSamples: 1000, expireAfterIdleFlushes: nil, seed: 7)
        // Rising values are the worst case for a biased reservoir.
        for value in 0..<100_000 { aggregator.add(StatsDMetric(name: "lat", value: Double(value), kind: .timer)) }
        #expect(aggregator.reservoirSize(name: "lat") == 1000)
        let samples = aggregator.flush()
        let p50 = samples.first { $0.labels == [KeyValue("quantile", "0.5")] }?.value ?? -1
        let p90 = samples.first { $0.labels == [KeyValue("quantile", "0.9")] }?.value ?? -1
        #expect((45_000...55_000).contains(p50), "p50 \(p50)")
        #expect((86_000...94_000).contains(p90), "p90 \(p90)")
    }

    @Test func quantilesUseNearestRank() {
        var aggregator = StatsDAggregator()
        for value in [5.0, 1, 4, 2, 3] { aggregator.add(StatsDMetric(name: "t", value: value, kind: .timer)) }
        #expect(aggregator.flush().filter { $0.name == "t" }.map(\.value) == [3, 5, 5])
        let hundred = (1...100).map(Double.init)
        #expect(StatsDAggregator.nearestRank(0.5, in: hundred) == 50)
        #expect(StatsDAggregator.nearestRank(0.9, in: hundred) == 90)
        #expect(StatsDAggregator.nearestRank(0.99, in: hundred) == 99)
        #expect(StatsDAggregator.nearestRank(0.9, in: (1...10).map(Double.init)) == 9)
        #expect(StatsDAggregator.nearestRank(0.99, in: [7]) == 7)
    }

    @Test func timerTagsAndQuantileLabel() {
        var aggregator = StatsDAggregator()
        add("rt:4|ms|#route:/a,zone:eu", to: &aggregator)
        let quantiles = aggregator.flush().filter { $0.name == "rt" }.map(\.labels)
        #expect(quantiles == ["0.5", "0.9", "0.99"].map { [KeyValue("quantile", $0), KeyValue("route", "/a"), KeyValue("zone", "eu")] })
    }

    @Test func setsAreCapped() {
        var aggregator = StatsDAggregator()
        for member in 0..<(StatsDAggregator.maxSetMembers + 50) {
            aggregator.add(StatsDMetric(name: "users", value: 1, kind: .set, setMember: "u\(member)"))
        }
        #expect(aggregator.flush() == [gauge("users", Double(StatsDAggregator.maxSetMembers))])
    }

    @Test func idleSeriesExpireWhenAsked() {
        var aggregator = StatsDAggregator(maxSeries: 2, expireAfterIdleFlushes: 2)
        add("c:1|c\ng:5|g", to: &aggregator)
        #expect(aggregator.flush() == [counter("c", 1), gauge("g", 5)])
        add("c:1|c", to: &aggregator)
        #expect(aggregator.flush() == [counter("c", 2), gauge("g", 5)])
        #expect(aggregator.flush() == [counter("c", 2), gauge("g", 5)], "g idle for its second interval: reported one last time")
        #expect(aggregator.seriesCount == 1)
        add("n:1|c", to: &aggregator)
        #expect(aggregator.droppedSeries == 0, "the expired gauge freed its slot")
        #expect(aggregator.flush() == [counter("c", 2), counter("n", 1)])
        #expect(aggregator.seriesCount == 1, "c expired too")
        add("c:1|c", to: &aggregator)
        #expect(aggregator.flush() == [counter("c", 1), counter("n", 1)], "a returning counter starts again")
    }
}
