import Testing
import TributaryPatterns

@Suite struct EncodedLineRoundTripTests {
    /// Every Loghub line, encoded while the miner learns, rebuilds byte for
    /// byte from its template snapshot and variables.
    @Test func everyLoghubLineRebuildsExactly() throws {
        var lines = 0
        for file in try LoghubLabelledFiles.load() {
            let miner = TemplateMiner()
            for content in file.contents {
                let bytes = Array(content.utf8)
                let encoded = try #require(miner.encode(bytes))
                #expect(encoded.rebuild() == bytes, "\(file.name): \(content)")
                lines += 1
            }
        }
        #expect(lines == 12_000)
    }

    /// Random bytes, including every kind of whitespace, high bytes and
    /// lines longer than `maxTokens` tokens, rebuild exactly too.
    @Test func randomBytesRebuildExactly() throws {
        var generator = SplitMix64(seed: 0x5eed)
        let alphabet: [UInt8] = Array("ab=/0 9\t\r\n\u{0b}\u{0c}:,KB".utf8) + [0x00, 0xff, 0xc3, 0x80]
        let miner = TemplateMiner()
        for round in 0..<5_000 {
            let length = Int(generator.next() % 300)
            let line = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let encoded = try #require(miner.encode(line))
            #expect(encoded.rebuild() == line, "round \(round)")
        }
    }

    @Test func canonicalSpacingNeedsNoSeparators() throws {
        let miner = TemplateMiner()
        let encoded = try #require(miner.encode(Array("Accepted password for root from 10.0.0.1 port 22 ssh2".utf8)))
        #expect(encoded.separators == nil)
        #expect(encoded.variables.map { String(decoding: $0, as: UTF8.self) } == ["10.0.0.1", "22", "ssh2"])
        #expect(encoded.template.text == "Accepted password for root from <*> port <*> <*>", "a token with a digit is a variable")
        let odd = try #require(miner.encode(Array("  Accepted password for root  from 10.0.0.2 port 23 ssh2\r".utf8)))
        #expect(odd.separators != nil)
        #expect(odd.template.id == encoded.template.id)
    }
}

/// A small deterministic generator (tests must be reproducible).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
