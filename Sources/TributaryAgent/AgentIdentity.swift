import Foundation
import TributaryDurability

/// The agent's id: generated once, kept in `<state_dir>/agent-id`, so the
/// node recognises resent batches across restarts. Losing the state
/// directory gives a new id (and a new sequence space), never a clash.
public enum AgentIdentity {
    public static func loadOrCreate(stateDirectory: String) throws -> String {
        let path = stateDirectory + "/agent-id"
        let existing: [UInt8]?
        do {
            existing = try DurableFile.readIfPresent(path, maxBytes: 4096)
        } catch {
            // Unreadable is not missing: a new id would re-use no sequence,
            // but it would orphan every batch the spool still holds.
            throw AgentIdentityError.cannotRead(path: path, reason: error.description)
        }
        if let existing {
            let id = String(decoding: existing, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !id.isEmpty, id.utf8.count <= 128, id.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw AgentIdentityError.invalid(path: path)
            }
            return id
        }
        let id = UUID().uuidString.lowercased()
        do {
            try DurableFile.replace(path, withText: id + "\n", mode: 0o600)
        } catch {
            throw AgentIdentityError.cannotWrite(path: path, reason: error.description)
        }
        return id
    }
}

public enum AgentIdentityError: Error, CustomStringConvertible {
    case invalid(path: String)
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let path):
            return "\(path) does not hold a valid agent id (1–128 printable ASCII characters); restore it from a backup, or delete it to start as a new agent"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .cannotRead(let path, let reason):
            return "cannot read the agent id at \(path): \(reason); fix its permissions (the agent does not start as a new agent while the old id may still be there)"
        }
    }
}
