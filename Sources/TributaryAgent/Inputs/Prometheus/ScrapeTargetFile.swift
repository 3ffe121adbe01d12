import Foundation
import TributaryFormats
import TributaryModel
import Yams

/// A Prometheus file_sd file: a JSON or YAML list of target groups,
///
/// ```json
/// [ { "targets": ["10.0.0.1:9100", "10.0.0.2:9100"], "labels": { "env": "prod" } } ]
/// ```
///
/// read whole (at most `maxBytes`), checked, and reported with what is
/// wrong, so a bad edit keeps the previous targets rather than none.
struct ScrapeTargetFile {
    struct Group: Sendable, Equatable {
        var targets: [String]
        var labels: [KeyValue]
    }

    static let maxBytes = 4 << 20
    static let maxTargets = 10_000

    /// What `stat` says about a file; a change means read it again.
    struct Stamp: Equatable, Sendable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                     modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// The files a list of paths names now: globs expanded (in the file
    /// name, as Prometheus allows), sorted.
    static func expand(_ patterns: [String]) -> [String] {
        var files: Set<String> = []
        for pattern in patterns {
            guard pattern.contains(where: { "*?[".contains($0) }) else {
                files.insert(pattern)
                continue
            }
            var matches = glob_t()
            defer { globfree(&matches) }
            guard glob(pattern, 0, nil, &matches) == 0 else { continue }
            for index in 0..<Int(matches.gl_pathc) {
                if let path = matches.gl_pathv[index] { files.insert(String(cString: path)) }
            }
        }
        return files.sorted()
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ path: String) throws(Failure) -> [Group] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "\(path): cannot read the file") }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxBytes + 1)) ?? Data()
        guard data.count <= maxBytes else { throw Failure(description: "\(path): larger than \(maxBytes >> 20) MiB; split the targets over several files") }
        guard let text = String(data: data, encoding: .utf8) else { throw Failure(description: "\(path): not UTF-8 text") }
        return try parse(text, file: path)
    }

    static func parse(_ text: String, file: String) throws(Failure) -> [Group] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Failure(description: "\(file): neither JSON nor YAML: \(error)")
        }
        guard let root else { return [] }
        guard case .sequence(let items) = root else {
            throw Failure(description: "\(file): expected a list of target groups such as [{\"targets\": [\"host:9100\"], \"labels\": {\"env\": \"prod\"}}]")
        }
        var groups: [Group] = []
        var count = 0
        for (index, item) in items.enumerated() {
            let at = "\(file): group \(index + 1)\(item.mark.map { " (line \($0.line))" } ?? "")"
            guard case .mapping(let mapping) = item else { throw Failure(description: "\(at): expected a mapping with targets and labels") }
            var group = Group(targets: [], labels: [])
            for (key, value) in mapping {
                switch key.string {
                case "targets":
                    guard case .sequence(let targets) = value else { throw Failure(description: "\(at): targets must be a list of host:port") }
                    for target in targets {
                        guard let address = target.string else { throw Failure(description: "\(at): targets must be a list of host:port") }
                        group.targets.append(address)
                    }
                case "labels":
                    guard case .mapping(let labels) = value else { throw Failure(description: "\(at): labels must map names to values") }
                    for (name, labelValue) in labels {
                        guard let name = name.string, let text = labelValue.string else {
                            throw Failure(description: "\(at): labels must map names to string values")
                        }
                        guard name.hasPrefix("__") || Label.isValidName(name) else {
                            throw Failure(description: "\(at): \"\(name)\" is not a label name (letters, digits and _, not starting with a digit)")
                        }
                        group.labels.append(KeyValue(name, text))
                    }
                default:
                    throw Failure(description: "\(at): unknown key \"\(key.string ?? "?")\" (a group has targets and labels)")
                }
            }
            count += group.targets.count
            guard count <= maxTargets else { throw Failure(description: "\(file): more than \(maxTargets) targets") }
            groups.append(group)
        }
        return groups
    }
}
