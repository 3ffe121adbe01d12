/// A mined log template: its id, its tokens, and how many lines it has
/// matched. A snapshot: the miner may generalise a template later (a literal
/// position becomes a variable), so a stored line keeps the snapshot it was
/// encoded against, not the id alone.
public struct LogTemplate: Hashable, Sendable {
    public let id: UInt64
    public let tokens: [TemplateToken]

    public init(id: UInt64, tokens: [TemplateToken]) {
        self.id = id
        self.tokens = tokens
    }

    /// The pattern as people read it: tokens joined by one space, variables
    /// shown as `<*>` (Loghub's and Loki's notation).
    public var text: String {
        tokens.map(\.text).joined(separator: " ")
    }

    /// The number of variables a line of this template carries.
    public var variableCount: Int {
        tokens.reduce(0) { $0 + ($1.isVariable ? 1 : 0) }
    }
}
