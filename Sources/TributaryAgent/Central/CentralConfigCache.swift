import Foundation
import TributaryDurability

/// The last central configuration that an agent applied and ran, kept in
/// `state_dir/central/` so that a restart without any reachable node runs
/// it again: `version` (the decimal version and the group, one line) and
/// `config.yaml` (the body), each replaced durably (written, synced,
/// renamed); the version file is written last, so a crash between the two
/// leaves a body that the next successful apply overwrites.
public struct CentralConfigCache: Sendable {
    public let directory: String

    public init(stateDirectory: String) {
        directory = stateDirectory + "/central"
    }

    /// One applied configuration.
    public struct Entry: Sendable, Equatable {
        public var group: String
        public var version: UInt64
        public var body: String

        public init(group: String, version: UInt64, body: String) {
            self.group = group
            self.version = version
            self.body = body
        }
    }

    /// The stored configuration of `group`, if any (another group's is ignored).
    public func load(group: String) -> Entry? {
        guard let versionBytes = try? DurableFile.readIfPresent(directory + "/version", maxBytes: 256),
              let bodyBytes = try? DurableFile.readIfPresent(directory + "/config.yaml", maxBytes: 1 << 20) else { return nil }
        let fields = String(decoding: versionBytes, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let version = UInt64(fields[0]), version > 0, fields[1] == group else { return nil }
        return Entry(group: group, version: version, body: String(decoding: bodyBytes, as: UTF8.self))
    }

    /// Stores `entry` durably.
    public func store(_ entry: Entry) throws(DurabilityError) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try DurableFile.replace(directory + "/config.yaml", withText: entry.body, mode: 0o600)
        try DurableFile.replace(directory + "/version", withText: "\(entry.version) \(entry.group)\n", mode: 0o600)
    }
}
