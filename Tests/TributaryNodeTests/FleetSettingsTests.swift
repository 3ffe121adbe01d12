import Testing
import TributaryConfig
@testable import TributaryNode

/// `fleet:` in node.yaml: defaults, values, and errors that name the key.
@Suite struct FleetSettingsTests {
    @Test func defaultsAndValues() throws {
        #expect(try NodeConfigurationTests.read(NodeConfigurationTests.valid).fleet == FleetSettings())
        let configuration = try NodeConfigurationTests.read(NodeConfigurationTests.valid + """

            fleet:
              missing_after: 2m
              silent_after: 30s
              silent_factor: 4
              max_sources: 50
            """)
        #expect(configuration.fleet.missingAfter == .seconds(120))
        #expect(configuration.fleet.silentAfter == .seconds(30))
        #expect(configuration.fleet.silentFactor == 4)
        #expect(configuration.fleet.maxSources == 50)
    }

    @Test(arguments: [
        ("fleet: {missing_after: 0s}", "fleet.missing_after: must be a positive duration"),
        ("fleet: {silent_factor: 0}", "fleet.silent_factor"),
        ("fleet: {silent_afterr: 1m}", "did you mean `silent_after`"),
    ])
    func badValuesNameTheKey(yaml: String, expected: String) {
        do {
            _ = try NodeConfigurationTests.read(NodeConfigurationTests.valid + "\n" + yaml)
            Issue.record("\(yaml) was accepted")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }
}
