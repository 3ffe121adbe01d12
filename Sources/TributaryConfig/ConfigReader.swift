import Foundation
import Yams

/// Reads one YAML mapping of a configuration file with the strictness an
/// operator needs: every value is checked for its type and range, `${VAR}`
/// is replaced from the environment, and `finish()` refuses keys nobody
/// read (a typo such as `tsl:` is an error, not a silently ignored block).
/// Errors carry the file, the key path and the line.
public final class ConfigReader {
    public let file: String
    public let path: String
    private let entries: [(key: String, value: Node)]
    /// Each key's own line, for errors about the key rather than its value.
    private var keyLines: [String: Int] = [:]
    private let environment: [String: String]
    private let line: Int?
    private var read: Set<String> = []

    private init(file: String, path: String, entries: [(String, Node)], environment: [String: String], line: Int?) {
        self.file = file
        self.path = path
        self.entries = entries
        self.environment = environment
        self.line = line
    }

    /// Parses `contents` (named `file` in errors); its top level must be a mapping.
    public static func parse(_ contents: String, file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> ConfigReader {
        let node: Node?
        do {
            node = try Yams.compose(yaml: contents)
        } catch let error as YamlError {
            throw ConfigError(file: file, path: "", line: nil, message: "not valid YAML: \(error)")
        } catch {
            throw ConfigError(file: file, path: "", line: nil, message: "not valid YAML: \(error)")
        }
        guard let node else { return ConfigReader(file: file, path: "", entries: [], environment: environment, line: nil) }
        return try mapping(node, file: file, path: "", environment: environment)
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> ConfigReader {
        let contents: String
        do {
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, path: "", line: nil, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        return try parse(contents, file: (path as NSString).lastPathComponent, environment: environment)
    }

    private static func mapping(_ node: Node, file: String, path: String, environment: [String: String]) throws(ConfigError) -> ConfigReader {
        guard case .mapping(let mapping) = node else {
            throw ConfigError(file: file, path: path, line: node.mark.map { $0.line }, message: "expected a mapping of keys to values")
        }
        var entries: [(String, Node)] = []
        var keyLines: [String: Int] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                throw ConfigError(file: file, path: path, line: key.mark.map { $0.line }, message: "keys must be strings")
            }
            entries.append((name, value))
            keyLines[name] = key.mark.map { $0.line }
        }
        let reader = ConfigReader(file: file, path: path, entries: entries, environment: environment, line: node.mark.map { $0.line })
        reader.keyLines = keyLines
        return reader
    }

    // MARK: Values

    public func contains(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The keys of this mapping in file order (for mappings whose keys are
    /// names the file chooses, such as a rule's `annotations`).
    public var keys: [String] { entries.map(\.key) }

    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let node = value(key) else { return nil }
        return try scalar(node, at: keyPath(key), expected: "a string")
    }

    public func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        try string(key) ?? fallback
    }

    public func requiredString(_ key: String, expected: String) throws(ConfigError) -> String {
        guard let value = try string(key), !value.isEmpty else {
            throw ConfigError(file: file, path: keyPath(key), line: line, message: "is required: \(expected)")
        }
        return value
    }

    public func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let node = value(key) else { return fallback }
        let text = try scalar(node, at: keyPath(key), expected: "true or false")
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, keyPath(key), "expected true or false, found \"\(text)\"")
        }
    }

    public func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let node = value(key) else { return fallback }
        let text = try scalar(node, at: keyPath(key), expected: "a whole number")
        guard let number = Int(text), range.contains(number) else {
            throw error(node, keyPath(key), "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \"\(text)\"")
        }
        return number
    }

    /// A size such as `8MiB` or `2GiB` (or a plain number of bytes).
    public func bytes(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let node = value(key) else { return fallback }
        let text = try scalar(node, at: keyPath(key), expected: "a size such as 8MiB")
        guard let bytes = ConfigUnits.bytes(text) else {
            throw error(node, keyPath(key), "expected a size such as 512KiB, 8MiB or 2GiB, found \"\(text)\"")
        }
        guard range.contains(bytes) else {
            throw error(node, keyPath(key), "\(text) is outside \(range.lowerBound)…\(range.upperBound) bytes")
        }
        return bytes
    }

    /// A duration such as `30s`, `5m`, `1h` or `7d`.
    public func duration(_ key: String, default fallback: Duration) throws(ConfigError) -> Duration {
        guard let node = value(key) else { return fallback }
        let text = try scalar(node, at: keyPath(key), expected: "a duration such as 30s")
        guard let duration = ConfigUnits.duration(text) else {
            throw error(node, keyPath(key), "expected a duration such as 250ms, 30s, 5m, 1h or 7d, found \"\(text)\"")
        }
        return duration
    }

    public func stringList(_ key: String, expected: String) throws(ConfigError) -> [String] {
        guard let node = value(key) else { return [] }
        guard case .sequence(let sequence) = node else {
            throw error(node, keyPath(key), "expected a list of \(expected)")
        }
        var strings: [String] = []
        for (index, item) in sequence.enumerated() {
            strings.append(try scalar(item, at: keyPath(key) + "[\(index)]", expected: expected))
        }
        return strings
    }

    /// A list whose items are strings or mappings (a short and a long form
    /// of the same thing); `expected` describes the items for errors.
    public func mixedList(_ key: String, expected: String) throws(ConfigError) -> [ConfigListItem] {
        guard let node = value(key) else { return [] }
        guard case .sequence(let sequence) = node else {
            throw error(node, keyPath(key), "expected a list of \(expected)")
        }
        var items: [ConfigListItem] = []
        for (index, item) in sequence.enumerated() {
            let path = keyPath(key) + "[\(index)]"
            switch item {
            case .scalar:
                items.append(.string(try scalar(item, at: path, expected: expected)))
            case .mapping:
                items.append(.mapping(try Self.mapping(item, file: file, path: path, environment: environment)))
            default:
                throw error(item, path, "expected \(expected)")
            }
        }
        return items
    }

    /// A mapping of names to strings (`labels: {env: prod}`), in file order.
    public func stringMap(_ key: String, expected: String) throws(ConfigError) -> [(key: String, value: String)] {
        guard let node = value(key) else { return [] }
        guard case .mapping(let mapping) = node else {
            throw error(node, keyPath(key), "expected a mapping of \(expected)")
        }
        var pairs: [(key: String, value: String)] = []
        for (name, item) in mapping {
            guard let text = name.string else { throw error(name, keyPath(key), "keys must be strings") }
            pairs.append((text, try scalar(item, at: keyPath(key) + "." + text, expected: "a string value")))
        }
        return pairs
    }

    /// A nested mapping, or nil when the key is absent.
    public func section(_ key: String) throws(ConfigError) -> ConfigReader? {
        guard let node = value(key) else { return nil }
        return try Self.mapping(node, file: file, path: keyPath(key), environment: environment)
    }

    /// A list of mappings (`tenants: [ {name: …}, … ]`).
    public func sections(_ key: String) throws(ConfigError) -> [ConfigReader] {
        guard let node = value(key) else { return [] }
        guard case .sequence(let sequence) = node else {
            throw error(node, keyPath(key), "expected a list of mappings")
        }
        var readers: [ConfigReader] = []
        for (index, item) in sequence.enumerated() {
            readers.append(try Self.mapping(item, file: file, path: keyPath(key) + "[\(index)]", environment: environment))
        }
        return readers
    }

    /// An error about `key` (or about this mapping, for key nil), with its line.
    /// When a key that was asked for is missing and an unknown key here
    /// looks like a misspelling of it (`tsl:` for `tls:`), the error is
    /// about the misspelling: that is what the operator has to fix.
    public func error(_ key: String?, _ message: String) -> ConfigError {
        if let typo = misspelledKey() { return typo }
        guard let key else { return ConfigError(file: file, path: path, line: line, message: message) }
        return ConfigError(file: file, path: keyPath(key), line: value(key)?.mark.map { $0.line } ?? line, message: message)
    }

    /// Refuses keys that were never read.
    public func finish() throws(ConfigError) {
        let known = read.sorted()
        for (key, node) in entries where !read.contains(key) {
            if let intended = KeySpelling.suggestion(for: key, among: known) {
                throw ConfigError(file: file, path: keyPath(key), line: keyLines[key] ?? node.mark.map { $0.line },
                                  message: "unknown key `\(key)`, did you mean `\(intended)`?")
            }
            let suggestion = known.isEmpty ? "" : " (known keys here: \(known.joined(separator: ", ")))"
            throw ConfigError(file: file, path: keyPath(key), line: keyLines[key] ?? node.mark.map { $0.line }, message: "unknown key\(suggestion)")
        }
    }

    /// An unknown key here that looks like a misspelling of a key that was
    /// asked for and is absent, as an error.
    private func misspelledKey() -> ConfigError? {
        let absent = read.filter { name in !entries.contains { $0.key == name } }
        for (key, node) in entries where !read.contains(key) {
            if let intended = KeySpelling.suggestion(for: key, among: absent) {
                return ConfigError(file: file, path: keyPath(key), line: keyLines[key] ?? node.mark.map { $0.line },
                                   message: "unknown key `\(key)`, did you mean `\(intended)`?")
            }
        }
        return nil
    }

    // MARK: Helpers

    private func value(_ key: String) -> Node? {
        read.insert(key)
        guard let node = entries.first(where: { $0.key == key })?.value else { return nil }
        if case .scalar(let scalar) = node, scalar.tag.description == Tag.Name.null.rawValue || scalar.string == "~" {
            return nil
        }
        return node
    }

    private func keyPath(_ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    private func error(_ node: Node, _ path: String, _ message: String) -> ConfigError {
        ConfigError(file: file, path: path, line: node.mark.map { $0.line }, message: message)
    }

    private func scalar(_ node: Node, at path: String, expected: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error(node, path, "expected \(expected)")
        }
        return try substitute(scalar.string, node: node, path: path)
    }

    /// Replaces `${NAME}` with the environment variable NAME.
    private func substitute(_ text: String, node: Node, path: String) throws(ConfigError) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw error(node, path, "unterminated ${ in \"\(text)\"")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                throw error(node, path, "environment variable \(name) is not set")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
