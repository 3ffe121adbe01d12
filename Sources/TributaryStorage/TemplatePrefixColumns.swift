/// Which column of a mode-3 section each template variable uses, derived
/// alike by writer and reader from the chunk's templates in order (so no
/// byte of the section says it): template variables that follow the same
/// template prefix (the same tokens before them, literal or variable)
/// share a column, and a variable after a prefix not seen before starts a
/// new one. The prefixes form a tree; each template walks it once.
///
/// Memory: one entry per distinct template token prefix of the chunk.
struct TemplatePrefixColumns {
    private struct Node: Hashable {
        let parent: Int
        let isVariable: Bool
        let bytes: [UInt8]
    }

    private var nodes: [Node: Int] = [:]
    /// Of each variable node, its column.
    private var columnOfNode: [Int: Int] = [:]
    /// Columns handed out so far.
    private(set) var count = 0

    /// The columns of the variables of a template with `tokens`, in order.
    mutating func columns(of tokens: [(isVariable: Bool, bytes: [UInt8])]) -> [Int] {
        var parent = -1
        var result: [Int] = []
        for token in tokens {
            let node = Node(parent: parent, isVariable: token.isVariable, bytes: token.bytes)
            let id: Int
            if let known = nodes[node] {
                id = known
            } else {
                id = nodes.count
                nodes[node] = id
                if token.isVariable {
                    columnOfNode[id] = count
                    count += 1
                }
            }
            if token.isVariable, let column = columnOfNode[id] { result.append(column) }
            parent = id
        }
        return result
    }
}
