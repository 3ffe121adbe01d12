/// Starting templates, generalising them, merging and forgetting them.
extension TemplateMiner {
    /// Makes a template of the line in `scratch`, applies the two
    /// generalisation rules, and returns the new template's id (which may
    /// already have been merged into another: `resolve` it).
    func create(_ line: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let leaf = leafKey()
        let tokens = lineTemplateTokens(line)
        let id = nextID
        nextID += 1
        let cluster = Cluster(id: id, tokens: tokens, leaf: leaf, count: 0, lastUsed: clock)
        let slot: Int
        if let free = freeSlots.popLast() {
            clusters[free] = cluster
            slot = free
        } else {
            clusters.append(cluster)
            slot = clusters.count - 1
        }
        slotOfID[id] = slot
        leaves[leaf, default: []].append(slot)
        let reference = scratch.hashArray
        absorbSiblings(leaf: leaf, reference: reference, slot: slot)
        countAlternatives(leaf: leaf, reference: reference)
        if slotOfID.count > configuration.maxTemplates { forgetLeastRecentlyUsed() }
        return id
    }

    private func lineTemplateTokens(_ line: UnsafeBufferPointer<UInt8>) -> [TemplateToken] {
        var tokens: [TemplateToken] = []
        tokens.reserveCapacity(scratch.count)
        for position in 0..<scratch.count {
            let bytes = Array(line[scratch.starts[position]..<scratch.ends[position]])
            if scratch.isVariable[position] {
                tokens.append(TemplateToken(variableAfter: Array(bytes[0..<scratch.keyLengths[position]])))
            } else {
                tokens.append(TemplateToken(literal: bytes))
            }
        }
        return tokens
    }

    /// Rule 1: a variable at a position absorbs templates that differ from
    /// the new one only there.
    private func absorbSiblings(leaf: UInt64, reference: [UInt64], slot: Int) {
        guard let slots = leaves[leaf], slots.count > 1 else { return }
        var positions: [Int] = []
        for other in slots where other != slot {
            guard let cluster = clusters[other] else { continue }
            var differing = -1
            var count = 0
            for position in 0..<reference.count where cluster.tokens[position].hash != reference[position] {
                count += 1
                differing = position
                if count > 1 { break }
            }
            guard count == 1 else { continue }
            if cluster.tokens[differing].isVariable || scratch.isVariable[differing] {
                if !positions.contains(differing) { positions.append(differing) }
            }
        }
        for position in positions { generalize(leaf: leaf, position: position, reference: reference) }
    }

    /// Rule 2: count the distinct words seen at each position among
    /// templates that are otherwise equal; enough of them make it a variable.
    private func countAlternatives(leaf: UInt64, reference: [UInt64]) {
        let count = reference.count
        guard count > 1 else { return }
        prefixHashes.removeAll(keepingCapacity: true)
        suffixHashes.removeAll(keepingCapacity: true)
        var hash = leaf
        for position in 0..<count {
            prefixHashes.append(hash)
            hash = ByteHash.combine(hash, reference[position])
        }
        suffixHashes = Array(repeating: 0, count: count + 1)
        hash = 0x5bd1_e995
        for position in stride(from: count - 1, through: 0, by: -1) {
            suffixHashes[position + 1] = hash
            hash = ByteHash.combine(hash, reference[position])
        }
        if alternatives.count > configuration.maxTemplates * 16 { alternatives.removeAll(keepingCapacity: true) }
        for position in 1..<count where !scratch.isVariable[position] {
            let key = ByteHash.combine(ByteHash.combine(prefixHashes[position], UInt64(position)), suffixHashes[position + 1])
            let needed = scratch.keyLengths[position] > 0
                ? configuration.distinctValuesForKeyVariable : configuration.distinctWordsForVariable
            var seen = alternatives[key, default: []]
            if !seen.contains(reference[position]), seen.count < needed { seen.append(reference[position]) }
            alternatives[key] = seen
            if seen.count >= needed { generalize(leaf: leaf, position: position, reference: reference) }
        }
    }

    /// Turns `position` into a variable in every template of the leaf that
    /// equals `reference` elsewhere, then merges templates that became equal.
    private func generalize(leaf: UInt64, position: Int, reference: [UInt64]) {
        guard let slots = leaves[leaf] else { return }
        for slot in slots {
            guard var cluster = clusters[slot] else { continue }
            var equal = true
            for other in 0..<reference.count where other != position && cluster.tokens[other].hash != reference[other] {
                equal = false
                break
            }
            guard equal, !cluster.tokens[position].isVariable else { continue }
            let literal = cluster.tokens[position].bytes
            let key = literal.firstIndex(of: UInt8(ascii: "=")).map { Array(literal[...$0]) } ?? []
            cluster.tokens[position] = TemplateToken(variableAfter: key)
            clusters[slot] = cluster
        }
        mergeEqualTemplates(leaf: leaf)
    }

    private func mergeEqualTemplates(leaf: UInt64) {
        guard let slots = leaves[leaf] else { return }
        var survivors: [[UInt64]: Int] = [:]
        var kept: [Int] = []
        for slot in slots {
            guard let cluster = clusters[slot] else { continue }
            let key = cluster.tokens.map(\.hash)
            if let survivor = survivors[key] {
                clusters[survivor]!.count += cluster.count
                clusters[survivor]!.lastUsed = max(clusters[survivor]!.lastUsed, cluster.lastUsed)
                let survivorID = clusters[survivor]!.id
                if mergedInto.count > configuration.maxTemplates * 16 { mergedInto.removeAll(keepingCapacity: true) }
                mergedInto[cluster.id] = survivorID
                release(slot)
            } else {
                survivors[key] = slot
                kept.append(slot)
            }
        }
        leaves[leaf] = kept
    }

    private func release(_ slot: Int) {
        guard let cluster = clusters[slot] else { return }
        slotOfID[cluster.id] = nil
        clusters[slot] = nil
        freeSlots.append(slot)
    }

    /// Forgets the least recently matched eighth of the templates.
    func forgetLeastRecentlyUsed() {
        var live: [(lastUsed: UInt64, slot: Int)] = []
        live.reserveCapacity(slotOfID.count)
        for (slot, cluster) in clusters.enumerated() {
            if let cluster { live.append((cluster.lastUsed, slot)) }
        }
        live.sort { $0.lastUsed < $1.lastUsed }
        let forget = max(1, configuration.maxTemplates / 8)
        var touched: Set<UInt64> = []
        for entry in live.prefix(forget) {
            if let leaf = clusters[entry.slot]?.leaf { touched.insert(leaf) }
            release(entry.slot)
        }
        for leaf in touched {
            let remaining = (leaves[leaf] ?? []).filter { clusters[$0] != nil }
            leaves[leaf] = remaining.isEmpty ? nil : remaining
        }
        // Merged ids pointing at forgotten templates resolve to nil anyway.
        if mergedInto.count > configuration.maxTemplates * 4 {
            mergedInto = mergedInto.filter { slotOfID[$0.value] != nil }
        }
    }
}

extension TemplateMiner {
    /// Puts back a template saved earlier (a node's pattern state across a
    /// restart), keeping its id; later lines match it as if learned.
    public func restore(_ template: LogTemplate, lines: Int) {
        guard slotOfID[template.id] == nil, template.tokens.count <= configuration.maxTokens else { return }
        clock &+= 1
        let leaf = ByteHash.combine(UInt64(template.tokens.count), template.tokens.first?.hash ?? 0)
        let cluster = Cluster(id: template.id, tokens: template.tokens, leaf: leaf, count: lines, lastUsed: clock)
        clusters.append(cluster)
        slotOfID[template.id] = clusters.count - 1
        leaves[leaf, default: []].append(clusters.count - 1)
        nextID = max(nextID, template.id &+ 1)
        if slotOfID.count > configuration.maxTemplates { forgetLeastRecentlyUsed() }
    }
}
