import Testing
@testable import TributaryConfig

@Suite struct ConfigReaderTests {
    static let yaml = """
        name: node-a
        size: 8MiB
        timeout: 30s
        enabled: yes
        count: 12
        tls:
          certificate: /etc/node.pem
        tokens: ["${TOKEN}", "plain"]
        tenants:
          - name: a
          - name: b
        """

    @Test func readsTypedValuesAndUnits() throws {
        let reader = try ConfigReader.parse(Self.yaml, file: "node.yaml", environment: ["TOKEN": "from-env"])
        #expect(try reader.string("name") == "node-a")
        #expect(try reader.bytes("size", default: 0, range: 0...Int.max) == 8 * 1024 * 1024)
        #expect(try reader.duration("timeout", default: .zero) == .seconds(30))
        #expect(try reader.bool("enabled", default: false))
        #expect(try reader.int("count", default: 0, range: 0...100) == 12)
        #expect(try reader.section("tls")?.string("certificate") == "/etc/node.pem")
        #expect(try reader.stringList("tokens", expected: "tokens") == ["from-env", "plain"])
        #expect(try reader.sections("tenants").map { try $0.string("name") } == ["a", "b"])
        #expect(try reader.string("absent", default: "fallback") == "fallback")
    }

    @Test func anUnknownKeyIsAnErrorNamingFileKeyAndLine() throws {
        let reader = try ConfigReader.parse("name: a\ntsl:\n  certificate: x\n", file: "node.yaml")
        _ = try reader.string("name")
        _ = try reader.section("tls")
        #expect(throws: ConfigError(file: "node.yaml", path: "tsl", line: 2, message: "unknown key `tsl`, did you mean `tls`?")) {
            try reader.finish()
        }
        let other = try ConfigReader.parse("name: a\ncolour: blue\n", file: "node.yaml")
        _ = try other.string("name")
        #expect(throws: ConfigError(file: "node.yaml", path: "colour", line: 2, message: "unknown key (known keys here: name)")) {
            try other.finish()
        }
    }

    /// `tsl:` for `tls:` used to be reported as "tls: is required", sending
    /// the operator to look for a block that is right there, misspelt.
    @Test func aMissingKeyWithAMisspeltNeighbourIsReportedAsTheTypo() throws {
        let reader = try ConfigReader.parse("name: a\ntsl:\n  certificate: x\n", file: "node.yaml")
        _ = try reader.string("name")
        #expect(try reader.section("tls") == nil)
        #expect(reader.error(nil, "tls: is required").description.contains("tsl: unknown key `tsl`, did you mean `tls`?"))
        #expect(KeySpelling.distance("tsl", "tls") == 1)
        #expect(!KeySpelling.isLikelyTypo("colour", of: "tls"))
        #expect(KeySpelling.isLikelyTypo("lissen", of: "listen"))
    }

    @Test func wrongTypesSayWhatWasExpected() throws {
        let reader = try ConfigReader.parse("size: lots\ncount: 500\ntokens: one\nenabled: maybe\n", file: "a.yaml")
        do {
            _ = try reader.bytes("size", default: 0, range: 0...100)
            Issue.record("accepted")
        } catch {
            #expect(error.description == "a.yaml:1: size: expected a size such as 512KiB, 8MiB or 2GiB, found \"lots\"")
        }
        #expect(throws: ConfigError.self) { try reader.int("count", default: 0, range: 0...100) }
        do {
            _ = try reader.stringList("tokens", expected: "agent tokens")
            Issue.record("accepted")
        } catch {
            #expect(error.description == "a.yaml:3: tokens: expected a list of agent tokens")
        }
        #expect(throws: ConfigError.self) { try reader.bool("enabled", default: false) }
    }

    @Test func aMissingEnvironmentVariableIsNamed() throws {
        let reader = try ConfigReader.parse("token: ${SECRET_TOKEN}\n", file: "n.yaml", environment: [:])
        #expect(throws: ConfigError(file: "n.yaml", path: "token", line: 1, message: "environment variable SECRET_TOKEN is not set")) {
            try reader.string("token")
        }
    }

    @Test func brokenYAMLAndNonMappingsAreExplained() {
        #expect(throws: ConfigError.self) { try ConfigReader.parse("a: [1, 2\n", file: "x.yaml") }
        #expect(throws: ConfigError.self) { try ConfigReader.parse("- a\n- b\n", file: "x.yaml") }
        #expect(throws: ConfigError.self) { try ConfigReader.load(path: "/nonexistent/node.yaml") }
    }

    @Test(arguments: [("512KiB", 524_288), ("2GiB", 2_147_483_648), ("100MB", 100_000_000), ("1.5MiB", 1_572_864), ("4096", 4096)])
    func sizes(text: String, bytes: Int) {
        #expect(ConfigUnits.bytes(text) == bytes)
    }

    @Test(arguments: [("250ms", Duration.milliseconds(250)), ("30s", .seconds(30)), ("5m", .seconds(300)), ("1h", .seconds(3600)), ("7d", .seconds(604_800))])
    func durations(text: String, duration: Duration) {
        #expect(ConfigUnits.duration(text) == duration)
    }
}
