import Foundation

/// The agent's id: generated once, kept in `<state_dir>/agent-id`, so the
/// node recognises resent batches across restarts. Losing the state
/// directory gives a new id (and a new sequence space), never a clash.
public enum AgentIdentity {
    public static func loadOrCreate(stateDirectory: String) throws -> String {
        let path = stateDirectory + "/agent-id"
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !id.isEmpty, id.utf8.count <= 128, id.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw AgentIdentityError.invalid(path: path)
            }
            return id
        }
        let id = UUID().uuidString.lowercased()
        let temporary = path + ".tmp"
        try Data((id + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
        let descriptor = open(temporary, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 { _ = fsync(descriptor); close(descriptor) }
        guard rename(temporary, path) == 0 else {
            throw AgentIdentityError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        Spool.syncDirectory(stateDirectory)
        return id
    }
}

public enum AgentIdentityError: Error, CustomStringConvertible {
    case invalid(path: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let path):
            return "\(path) does not hold a valid agent id (1–128 printable ASCII characters); restore it from a backup, or delete it to start as a new agent"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
