import Foundation

/// Paths of the repository and of `../shared/data`, found from this file's
/// location so tests work from any working directory.
public enum RepositoryPaths {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TributaryTestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    public static let protocolVectors = root.appendingPathComponent("proto/vectors")

    public static let loghub = root.deletingLastPathComponent().appendingPathComponent("shared/data/loghub")

    /// The directory holding the built products (`trib`, the test bundle).
    public static var productsDirectory: URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent()
    }

    /// The `trib` executable built beside the tests.
    public static var tribExecutable: URL { productsDirectory.appendingPathComponent("trib") }

    /// The agent-only `trib-agent` executable built beside the tests.
    public static var tribAgentExecutable: URL { productsDirectory.appendingPathComponent("trib-agent") }
}
