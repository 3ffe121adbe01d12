/// One position of a log template: either literal bytes that every line of
/// the template has there, or a variable. A variable may keep a literal key
/// in front of it (`user=` in `user=<*>`), so `key=value` pairs keep their
/// key in the pattern while the value varies.
public struct TemplateToken: Hashable, Sendable {
    /// The literal bytes, or the key in front of a variable (often empty).
    public let bytes: [UInt8]
    public let isVariable: Bool
    /// The hash the miner compares (of `bytes`, with the variable flag mixed
    /// in): token comparisons are one integer compare on the hot path.
    let hash: UInt64

    public init(literal bytes: [UInt8]) {
        self.bytes = bytes
        self.isVariable = false
        self.hash = ByteHash.of(bytes)
    }

    public init(variableAfter prefix: [UInt8]) {
        self.bytes = prefix
        self.isVariable = true
        self.hash = ByteHash.of(prefix) ^ ByteHash.variableMark
    }

    /// How the token reads in a pattern: the literal, or `prefix<*>`.
    public var text: String {
        let shown = String(decoding: bytes, as: UTF8.self)
        return isVariable ? shown + "<*>" : shown
    }
}
