/// Mines log templates from lines as they come, in bounded memory.
///
/// The algorithm (docs/patterns.md has the long version):
/// 1. Tokens are split at whitespace and typed (`LineTokens`): digits,
///    paths, dates and units make a token a variable before any clustering.
/// 2. Templates live in leaves keyed by token count and first token (as in
///    Drain's parse tree). A line joins the first template of its leaf whose
///    literals it has and whose variables it fills.
/// 3. A line that fits none starts a template. Two rules generalise:
///    - a template with a variable at a position absorbs templates that
///      differ from it only there;
///    - when templates that differ only at one position have shown enough
///      distinct words there (`distinctWordsForVariable`), that position
///      becomes a variable and the templates merge.
///    Merged ids stay resolvable (`resolve`), so a line counted against an
///    absorbed template is found under the survivor.
/// 4. Memory: at most `maxTemplates` templates; past it the least recently
///    matched eighth is forgotten. Side tables are bounded the same way.
///
/// Not thread-safe: one owner (an actor or a lock) per miner.
public final class TemplateMiner {
    public let configuration: TemplateMinerConfiguration

    struct Cluster {
        var id: UInt64
        var tokens: [TemplateToken]
        var leaf: UInt64
        var count: Int
        var lastUsed: UInt64
    }

    /// Slots; a nil slot is free.
    var clusters: [Cluster?] = []
    var freeSlots: [Int] = []
    var slotOfID: [UInt64: Int] = [:]
    /// Leaf key (token count, first token) → slots, oldest first.
    var leaves: [UInt64: [Int]] = [:]
    /// For "otherwise equal templates": (leaf, position, the other tokens) →
    /// the distinct words seen at the position, up to the threshold.
    var alternatives: [UInt64: [UInt64]] = [:]
    /// Absorbed template id → the id that absorbed it.
    var mergedInto: [UInt64: UInt64] = [:]
    var nextID: UInt64 = 1
    var clock: UInt64 = 0
    let scratch: LineTokens
    var prefixHashes: [UInt64] = []
    var suffixHashes: [UInt64] = []

    public init(configuration: TemplateMinerConfiguration = TemplateMinerConfiguration()) {
        self.configuration = configuration
        self.scratch = LineTokens(capacity: configuration.maxTokens)
    }

    /// Templates alive now.
    public var templateCount: Int { slotOfID.count }

    /// Learns from one line and returns the id of its template.
    @discardableResult
    public func learn(_ line: UnsafeBufferPointer<UInt8>) -> UInt64 {
        scratch.fill(line, configuration: configuration)
        return clusters[learnSlot(line)]!.id
    }

    @discardableResult
    public func learn(_ line: [UInt8]) -> UInt64 {
        line.withUnsafeBufferPointer { learn($0) }
    }

    @discardableResult
    public func learn(_ line: String) -> UInt64 {
        var line = line
        return line.withUTF8 { learn($0) }
    }

    /// Learns from a line and returns it encoded against its template, or
    /// nil in the (64-bit hash collision) case where the template's literals
    /// are not the line's bytes: store such a line as it is.
    public func encode(_ line: UnsafeBufferPointer<UInt8>) -> EncodedLine? {
        scratch.fill(line, configuration: configuration)
        let slot = learnSlot(line)
        return encoded(line, cluster: clusters[slot]!)
    }

    public func encode(_ line: [UInt8]) -> EncodedLine? {
        line.withUnsafeBufferPointer { encode($0) }
    }

    /// The template a line would join, without learning from it.
    public func match(_ line: UnsafeBufferPointer<UInt8>) -> EncodedLine? {
        scratch.fill(line, configuration: configuration)
        guard let slot = findSlot() else { return nil }
        return encoded(line, cluster: clusters[slot]!)
    }

    /// The live id a template id has become (itself if never merged), or
    /// nil if the template was forgotten.
    public func resolve(_ id: UInt64) -> UInt64? {
        var current = id
        var hops = 0
        while let next = mergedInto[current], hops < 64 {
            current = next
            hops += 1
        }
        return slotOfID[current] == nil ? nil : current
    }

    /// The template with this id (after `resolve`), as it reads now.
    public func template(_ id: UInt64) -> LogTemplate? {
        guard let live = resolve(id), let slot = slotOfID[live], let cluster = clusters[slot] else { return nil }
        return LogTemplate(id: cluster.id, tokens: cluster.tokens)
    }

    /// Every live template with the number of lines it has matched.
    public func templates() -> [(template: LogTemplate, lines: Int)] {
        clusters.compactMap { cluster in
            cluster.map { (LogTemplate(id: $0.id, tokens: $0.tokens), $0.count) }
        }
    }

    // MARK: - Matching

    func leafKey() -> UInt64 {
        let first: UInt64 = scratch.count > 0 ? scratch.hashes[0] : 0
        return ByteHash.combine(UInt64(scratch.count), first)
    }

    private func fits(_ cluster: Cluster) -> Bool {
        let tokens = cluster.tokens
        for position in 0..<scratch.count {
            let token = tokens[position]
            if token.isVariable {
                if token.bytes.isEmpty { continue }
                if scratch.keyLengths[position] == token.bytes.count, scratch.keyHashes[position] ^ ByteHash.variableMark == token.hash {
                    continue
                }
                return false
            }
            if scratch.isVariable[position] || scratch.hashes[position] != token.hash { return false }
        }
        return true
    }

    private func findSlot() -> Int? {
        guard let slots = leaves[leafKey()] else { return nil }
        for slot in slots {
            if let cluster = clusters[slot], fits(cluster) { return slot }
        }
        return nil
    }

    private func learnSlot(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        clock &+= 1
        if let slot = findSlot() {
            clusters[slot]!.count += 1
            clusters[slot]!.lastUsed = clock
            return slot
        }
        let id = create(line)
        guard let slot = slotOfID[resolve(id) ?? id] else {
            preconditionFailure("BUG: a template created for this line is gone")
        }
        clusters[slot]!.count += 1
        return slot
    }

    // MARK: - Encoding

    private func encoded(_ line: UnsafeBufferPointer<UInt8>, cluster: Cluster) -> EncodedLine? {
        var variables: [[UInt8]] = []
        var ranges: [Range<Int>] = []
        for (position, token) in cluster.tokens.enumerated() {
            let start = scratch.starts[position]
            let end = scratch.ends[position]
            let prefix = token.bytes.count
            guard end - start >= prefix, token.isVariable || end - start == prefix else { return nil }
            for offset in 0..<prefix where line[start + offset] != token.bytes[offset] { return nil }
            if token.isVariable {
                variables.append(Array(line[(start + prefix)..<end]))
                ranges.append((start + prefix)..<end)
            }
        }
        return EncodedLine(
            template: LogTemplate(id: cluster.id, tokens: cluster.tokens),
            variables: variables,
            variableRanges: ranges,
            separators: separators(line)
        )
    }

    private func separators(_ line: UnsafeBufferPointer<UInt8>) -> [[UInt8]]? {
        let count = scratch.count
        var canonical = true
        if count == 0 {
            canonical = line.isEmpty
        } else {
            if scratch.starts[0] != 0 || scratch.ends[count - 1] != line.count { canonical = false }
            for position in 1..<max(count, 1) where canonical {
                let gap = scratch.starts[position] - scratch.ends[position - 1]
                if gap != 1 || line[scratch.ends[position - 1]] != 0x20 { canonical = false }
            }
        }
        if canonical { return nil }
        if count == 0 { return [Array(line)] }
        var result: [[UInt8]] = [Array(line[0..<scratch.starts[0]])]
        for position in 1..<count {
            result.append(Array(line[scratch.ends[position - 1]..<scratch.starts[position]]))
        }
        result.append(Array(line[scratch.ends[count - 1]..<line.count]))
        return result
    }
}
