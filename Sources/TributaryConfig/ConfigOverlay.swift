import Foundation
import Yams

/// Joins a centrally managed configuration document with the keys a local
/// file keeps for itself (an agent's `nodes`, `token`, `tls`, …), as one
/// YAML text: the central body verbatim (so its errors keep their line
/// numbers), then the local keys re-serialized below it.
///
/// The body must be a block mapping at the top level and must not name a
/// local key; both are refused with a message that says what to change.
public enum ConfigOverlay {
    /// Checks `body` and returns it joined with the `localKeys` entries of
    /// the YAML text `local` (entries of other keys in `local` are ignored).
    /// `file` names the body in errors.
    public static func join(body: String, file: String, local: String, localFile: String, localKeys: [String]) throws(ConfigError) -> String {
        let bodyNode = try compose(body, file: file)
        guard let bodyNode, case .mapping(let bodyMapping) = bodyNode else {
            throw ConfigError(file: file, path: "", line: nil, message: "is empty or not a mapping of keys to values; send the agent configuration's keys (inputs, labels, batch, …)")
        }
        guard bodyMapping.style != .flow else {
            throw ConfigError(file: file, path: "", line: bodyNode.mark.map { $0.line }, message: "write the top level as a block mapping (one key per line), not {…}")
        }
        for (key, _) in bodyMapping {
            if let name = key.string, localKeys.contains(name) {
                throw ConfigError(file: file, path: name, line: key.mark.map { $0.line },
                                  message: "is kept in each agent's local file (with \(localKeys.joined(separator: ", "))), not in the central configuration; remove it here")
            }
        }
        var pairs: [(Node, Node)] = []
        if let localNode = try compose(local, file: localFile), case .mapping(let localMapping) = localNode {
            for (key, value) in localMapping {
                if let name = key.string, localKeys.contains(name) { pairs.append((key, value)) }
            }
        }
        let localText: String
        do {
            localText = pairs.isEmpty ? "" : try Yams.serialize(node: .mapping(Node.Mapping(pairs)))
        } catch {
            throw ConfigError(file: localFile, path: "", line: nil, message: "cannot carry its local keys over: \(error)")
        }
        return body + (body.hasSuffix("\n") ? "" : "\n") + "# --- kept from \(localFile)\n" + localText
    }

    private static func compose(_ text: String, file: String) throws(ConfigError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: file, path: "", line: nil, message: "not valid YAML: \(error)")
        }
    }
}
