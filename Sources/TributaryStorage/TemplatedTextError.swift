/// A templated text section (`TemplatedTextReader`) that does not decode:
/// the chunk holding it is corrupt.
enum TemplatedTextError: Error, CustomStringConvertible {
    case malformed(String)

    var description: String {
        switch self {
        case .malformed(let detail): return "templated text: \(detail)"
        }
    }
}
