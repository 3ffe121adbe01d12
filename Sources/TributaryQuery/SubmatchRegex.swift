/// A regular expression that reports where its groups matched, compiled
/// once per query: what `| regexp "(?P<name>…)"` and template functions such
/// as `regexReplaceAll` need. Same RE2 syntax and linear-time guarantee as
/// `CompiledRegex`; submatches follow RE2's leftmost-first rule (Go's
/// `regexp.FindSubmatch`).
public final class SubmatchRegex: Sendable {
    public let pattern: String
    /// The name of each group in order (nil for an unnamed `(…)`): group
    /// `i` (1-based) is `groupNames[i - 1]`.
    public let groupNames: [String?]
    private let vm: PikeVM

    /// Programs × slots bounds the per-match memory; patterns beyond it are refused.
    static let maxSlotStorage = 4_000_000

    public init(_ pattern: String) throws(RegexSyntaxError) {
        self.pattern = pattern
        let parsed = try RegexParser.parseWithCaptures(pattern)
        groupNames = parsed.captureNames
        let program = try RegexProgram.compile(parsed.node, captureGroups: parsed.captureNames.count)
        guard program.instructions.count * program.slotCount <= Self.maxSlotStorage else {
            throw RegexSyntaxError(position: 0, message: "the pattern has too many groups for its size (\(parsed.captureNames.count) groups, \(program.instructions.count) steps): use (?:…) for groups whose text is not needed")
        }
        vm = PikeVM(program: program)
    }

    /// The first match in `bytes`: element 0 is the whole match, element i
    /// group i (nil when the group did not take part); nil when nothing matches.
    /// Ranges are byte offsets into `bytes`.
    public func firstMatch(in bytes: UnsafeRawBufferPointer) -> [Range<Int>?]? {
        guard let slots = vm.submatches(bytes) else { return nil }
        return stride(from: 0, to: slots.count, by: 2).map { index in
            let start = slots[index], end = slots[index + 1]
            return start >= 0 && end >= start ? start..<end : nil
        }
    }

    /// `firstMatch` on a string's UTF-8, the groups as substrings.
    public func firstMatch(in text: String) -> [Substring?]? {
        var text = text
        let ranges = text.withUTF8 { firstMatch(in: UnsafeRawBufferPointer($0)) }
        guard let ranges else { return nil }
        let utf8 = text.utf8
        return ranges.map { range in
            range.map { Substring(utf8[utf8.index(utf8.startIndex, offsetBy: $0.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: $0.upperBound)]) }
        }
    }
}
