import Testing
import TributaryFormats

@Suite struct StatsDParserTests {
    @Test func everyType() {
        let packet = "hits:3|c\nload:42.5|g\nload:+2|g\nload:-2|g\nlatency:12.5|ms\nsize:512|h\ndist:7|d\nusers:alice|s"
        let (metrics, malformed) = StatsDParser.parse(packet)
        #expect(malformed == 0)
        #expect(metrics == [
            StatsDMetric(name: "hits", value: 3, kind: .counter),
            StatsDMetric(name: "load", value: 42.5, kind: .gauge(delta: false)),
            StatsDMetric(name: "load", value: 2, kind: .gauge(delta: true)),
            StatsDMetric(name: "load", value: -2, kind: .gauge(delta: true)),
            StatsDMetric(name: "latency", value: 12.5, kind: .timer),
            StatsDMetric(name: "size", value: 512, kind: .timer),
            StatsDMetric(name: "dist", value: 7, kind: .timer),
            StatsDMetric(name: "users", value: 1, kind: .set, setMember: "alice"),
        ])
    }

    @Test func sampleRates() {
        let (metrics, malformed) = StatsDParser.parse("a:1|c|@0.1\nb:2|ms|@1\nc:3|c|@.5\nd:1|c|@0\ne:1|c|@1.5\nf:1|c|@x\ng:1|c|@")
        #expect(metrics == [
            StatsDMetric(name: "a", value: 1, kind: .counter, sampleRate: 0.1),
            StatsDMetric(name: "b", value: 2, kind: .timer, sampleRate: 1),
            StatsDMetric(name: "c", value: 3, kind: .counter, sampleRate: 0.5),
        ])
        #expect(malformed == 4)
    }

    @Test func dogStatsDTags() {
        let (metrics, malformed) = StatsDParser.parse("page.views:1|c|@0.5|#env:prod,canary,url:http://x:80/,:nokey,,region:eu")
        #expect(malformed == 0)
        #expect(metrics == [
            StatsDMetric(name: "page.views", value: 1, kind: .counter, sampleRate: 0.5, tags: [
                KeyValue("env", "prod"), KeyValue("canary", ""), KeyValue("url", "http://x:80/"), KeyValue("region", "eu"),
            ]),
        ])
        #expect(StatsDParser.parse("a:1|g|#x:1|@0.25|#y:2").metrics == [
            StatsDMetric(name: "a", value: 1, kind: .gauge(delta: false), sampleRate: 0.25, tags: [KeyValue("x", "1"), KeyValue("y", "2")]),
        ])
    }

    @Test func dogStatsDExtensionsAreIgnored() {
        let (metrics, malformed) = StatsDParser.parse("a:1|c|c:3f2a|T1795341600|e:it-abc|#k:v\n_e{5,4}:title|text|#k:v\n_sc|db.ok|0|#k:v")
        #expect(metrics == [StatsDMetric(name: "a", value: 1, kind: .counter, tags: [KeyValue("k", "v")])])
        #expect(malformed == 0, "events and service checks are skipped, not malformed")
    }

    @Test func malformedLinesAreCounted() {
        let lines = [
            "no separators", "name|c", "name:1", ":1|c", "name:|c", "name:abc|c", "name:nan|g", "name:inf|ms", "name:1e999|c",
            "name:0x10|c", "name:1.2.3|c", "name:1|zz", "name:1|", "name:1|c|x", "name:1|c|T12a", "a|c:1", "name:1|C", "name:--1|c",
            "name:1e|c", "name:.|c", "name:1|msx",
        ]
        let (metrics, malformed) = StatsDParser.parse(lines.joined(separator: "\n") + "\nok:1|c")
        #expect(malformed == lines.count)
        #expect(metrics == [StatsDMetric(name: "ok", value: 1, kind: .counter)])
    }

    @Test func severalLinesPerPacket() {
        let packet = "a:1|c\r\n\nb:2|g\n   \n c : 3 | ms \nd:-4|c\ne:1.5e2|g\n"
        let (metrics, malformed) = StatsDParser.parse(packet)
        #expect(malformed == 0)
        #expect(metrics == [
            StatsDMetric(name: "a", value: 1, kind: .counter),
            StatsDMetric(name: "b", value: 2, kind: .gauge(delta: false)),
            StatsDMetric(name: "c", value: 3, kind: .timer),
            StatsDMetric(name: "d", value: -4, kind: .counter),
            StatsDMetric(name: "e", value: 150, kind: .gauge(delta: false)),
        ])
        #expect(StatsDParser.parse("").metrics.isEmpty && StatsDParser.parse("\n\n").malformed == 0)
    }

    @Test func bytesOverload() {
        let packet = "api.requests.2xx:1|c|#route:/pay\nqueue:9|g"
        let fromBytes = Array(packet.utf8).withUnsafeBytes { StatsDParser.parse($0) }
        let fromText = StatsDParser.parse(packet)
        #expect(fromBytes.metrics == fromText.metrics && fromBytes.malformed == fromText.malformed)
        #expect(fromBytes.metrics.first?.name == "api.requests.2xx", "names are kept as sent")
    }

    @Test func setMembersAreText() {
        #expect(StatsDParser.parse("ips:10.0.0.1|s\nids:00042|s").metrics == [
            StatsDMetric(name: "ips", value: 1, kind: .set, setMember: "10.0.0.1"),
            StatsDMetric(name: "ids", value: 1, kind: .set, setMember: "00042"),
        ])
    }
}
