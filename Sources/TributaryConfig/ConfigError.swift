/// A configuration mistake: which file, which key, what was expected.
/// `agent.yaml:12: inputs[2].paths: expected a list of glob patterns`
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    /// The key path, e.g. `tls.certificate` or `tenants[1].tokens[0]`.
    public let path: String
    public let line: Int?
    public let message: String

    public init(file: String, path: String, line: Int?, message: String) {
        self.file = file
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}
