/// A block file that cannot be used: which file and what is wrong with it.
/// The node quarantines such a file and keeps serving everything else.
public enum BlockError: Error, Equatable, Sendable, CustomStringConvertible {
    case corrupt(path: String, detail: String)
    case io(path: String, detail: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let detail): return "block \(path) is corrupt: \(detail)"
        case .io(let path, let detail): return "cannot read block \(path): \(detail)"
        }
    }
}
