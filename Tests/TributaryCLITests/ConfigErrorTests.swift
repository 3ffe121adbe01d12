import Foundation
import Testing
import TributaryTestSupport

/// One broken agent configuration per class of error, through `trib
/// check-config` as a subprocess: each exits 1 and says where and what.
@Suite struct ConfigErrorTests {
    static let base = """
        nodes: [127.0.0.1:7400]
        token: abcdefgh12345
        tls: {ca: ca.pem}
        state_dir: state
        inputs:
          - {type: file, paths: [/var/log/*.log]}
          - {type: statsd, listen: 127.0.0.1:8125}
          - {type: file, paths: [/tmp/*.log]}
        """

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let change: @Sendable (String) -> String
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "wrong type", change: { $0.replacingOccurrences(of: "paths: [/tmp/*.log]", with: "paths: /tmp/x.log") },
             expected: "agent.yaml:8: inputs[2].paths: expected a list of glob patterns"),
        Case(name: "unknown key", change: { $0.replacingOccurrences(of: "type: statsd,", with: "type: statsd, lissen: x,") },
             expected: "agent.yaml:7: inputs[1].lissen: unknown key `lissen`, did you mean `listen`?"),
        Case(name: "bad size", change: { $0 + "\nspool: {max_bytes: lots}" },
             expected: "spool.max_bytes: expected a size such as 512KiB, 8MiB or 2GiB, found \"lots\""),
        Case(name: "bad duration", change: { $0 + "\nbatch: {max_age: soon}" },
             expected: "batch.max_age: expected a duration such as 250ms, 30s, 5m, 1h or 7d, found \"soon\""),
        Case(name: "out of range", change: { $0 + "\nbatch: {compression_level: 12}" },
             expected: "batch.compression_level: expected a whole number from 0 to 9, found \"12\""),
        Case(name: "missing environment variable", change: { $0.replacingOccurrences(of: "abcdefgh12345", with: "${TRIB_NO_SUCH_TOKEN}") },
             expected: "agent.yaml:2: token: environment variable TRIB_NO_SUCH_TOKEN is not set"),
        Case(name: "missing required key", change: { $0.replacingOccurrences(of: "state_dir: state\n", with: "") },
             expected: "state_dir: is required"),
        Case(name: "conflicting keys", change: { $0 + "\ninsecure: true" },
             expected: "insecure: is true but a tls section is configured: choose one"),
        Case(name: "not YAML", change: { _ in "nodes: [a\n" }, expected: "agent.yaml: not valid YAML"),
        Case(name: "bad address", change: { $0.replacingOccurrences(of: "listen: 127.0.0.1:8125", with: "listen: nowhere") },
             expected: "inputs[1].listen: expected host:port"),
    ]

    @Test(arguments: cases)
    func eachClassOfErrorNamesTheFileKeyAndExpectation(_ error: Case) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("agent.yaml").path
        try Self.base.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", file]).status == 0, "the base file is valid")
        try error.change(Self.base).write(toFile: file, atomically: true, encoding: .utf8)
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains(error.expected), "\(result.stderr)")
    }

    @Test func aMissingFileIsNamed() throws {
        let result = try ProcessResult.run(RepositoryPaths.tribExecutable, ["check-config", "/nonexistent/agent.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/agent.yaml: cannot read the file"), "\(result.stderr)")
    }
}
