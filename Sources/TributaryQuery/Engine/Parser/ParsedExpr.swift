/// An expression the parser has built, with what its parent needs to
/// check it: where it starts in the text, its type, and how deep its tree
/// is (the tree's depth is bounded so that walking it cannot exhaust the
/// stack).
struct ParsedExpr {
    var expr: QueryExpr
    var start: Int
    var type: QueryValueType
    var depth: Int
}
