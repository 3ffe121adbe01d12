import NIOCore

/// Which search pieces (`SubstringPieces`) each part of a templated section
/// can supply, worked out once per chunk before any line is read: a line
/// is a candidate only if its template's literal tokens, its variables'
/// prefixes and its values together hold every piece.
///
/// A numeric value is its shape's bytes around digits, so it can hold a
/// piece only if every byte of the piece is a digit or one of the shape's
/// bytes: `error` never lies in `•.•.•.•:•`, and such values are not
/// formatted to be searched. A template whose literals, prefixes, every
/// dictionary string of its slots and every shape cannot supply all pieces
/// between them has no candidate line at all: its columns are not read.
struct CandidateMasks {
    /// Per template: pieces inside its literal tokens (and prefixes).
    let literal: [UInt64]
    /// Per slot: pieces that may begin in the variable's prefix and end in its value.
    let span: [UInt64]
    /// Per dictionary string (all slots' strings in one array).
    let string: [UInt64]
    /// Per numeric shape: pieces whose bytes all occur in its values.
    let shape: [UInt64]
    /// Per template: whether any of its lines can hold every piece.
    let templateMayMatch: [Bool]

    init(_ pieces: SubstringPieces, templates: [[(isVariable: Bool, bytes: ByteBuffer)]], slotStrings: [(first: Int, count: Int)],
         strings: [ByteBuffer], shapes: [ByteBuffer]) {
        string = strings.map { pieces.mask(in: $0) }
        shape = shapes.map { shape in
            var bytes = Set(shape.readableBytesView)
            bytes.formUnion(0x30...0x39)
            var mask: UInt64 = 0
            for (index, piece) in pieces.pieces.enumerated() where piece.allSatisfy(bytes.contains) {
                mask |= 1 << UInt64(index)
            }
            return mask
        }
        let anyShape = shape.reduce(0, |)
        var literal: [UInt64] = []
        var span: [UInt64] = []
        var templateMayMatch: [Bool] = []
        var slot = 0
        for tokens in templates {
            var mask: UInt64 = 0
            var reachable: UInt64 = 0
            for token in tokens {
                mask |= pieces.mask(in: token.bytes)
                guard token.isVariable else { continue }
                let spanning = pieces.spanning(prefix: token.bytes)
                span.append(spanning)
                reachable |= spanning | anyShape
                let entries = slotStrings[slot]
                for entry in entries.first..<entries.first + entries.count { reachable |= string[entry] }
                slot += 1
            }
            literal.append(mask)
            templateMayMatch.append(mask | reachable == pieces.all)
        }
        self.literal = literal
        self.span = span
        self.templateMayMatch = templateMayMatch
    }
}
