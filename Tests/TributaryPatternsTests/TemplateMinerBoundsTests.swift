import Testing
import TributaryPatterns

@Suite struct TemplateMinerBoundsTests {
    /// A flood of lines that share no words never holds more than the cap,
    /// and a template matched all along survives the evictions.
    @Test func floodOfUniqueLinesStaysUnderTheCap() throws {
        var configuration = TemplateMinerConfiguration()
        configuration.maxTemplates = 200
        let miner = TemplateMiner(configuration: configuration)
        let steady = miner.learn("checkout started worker pool")
        var generator = SplitMix64(seed: 7)
        for round in 0..<20_000 {
            let words = (0..<6).map { _ in String(generator.next() % 0xffff_ffff, radix: 26).map { letter($0) } }
            miner.learn(words.map { String($0) }.joined(separator: " "))
            #expect(miner.templateCount <= 200)
            if round % 50 == 0 { #expect(miner.learn("checkout started worker pool") == steady) }
        }
        #expect(miner.template(steady)?.text == "checkout started worker pool")
    }

    @Test func lineLongerThanTheTokenCapIsOneTemplateWithAVariableTail() throws {
        let miner = TemplateMiner()
        let words = (0..<500).map { "w\($0 % 7 == 0 ? "x" : "")y" }.joined(separator: " ")
        let encoded = try #require(miner.encode(Array(words.utf8)))
        #expect(encoded.template.tokens.count == TemplateMinerConfiguration().maxTokens)
        #expect(encoded.template.tokens.last?.isVariable == true)
        #expect(encoded.rebuild() == Array(words.utf8))
    }

    @Test func badConfigurationNamesTheSetting() {
        var configuration = TemplateMinerConfiguration()
        configuration.maxTemplates = 1
        #expect(throws: TemplateMinerConfigurationError.self) { try configuration.validate() }
    }

    private func letter(_ character: Character) -> Character {
        // Digits make a token a variable; map them to letters so every
        // word is a literal and every line a new template.
        guard let digit = character.wholeNumberValue else { return character }
        return Character(UnicodeScalar(UInt8(ascii: "q") + UInt8(digit)))
    }
}
