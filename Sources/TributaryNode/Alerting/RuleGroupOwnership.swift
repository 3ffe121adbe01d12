/// Which node evaluates a rule group: rendezvous hashing of the group's
/// key over the nodes that are up, so every node that sees the same live
/// set picks the same owner, and when the owner dies only its groups move
/// (each to the node that scores next highest).
enum RuleGroupOwnership {
    static func owner(of group: String, among nodes: [String]) -> String? {
        nodes.max { score(node: $0, group: group) < score(node: $1, group: group) || (score(node: $0, group: group) == score(node: $1, group: group) && $0 > $1) }
    }

    /// FNV-1a over node and group, finished with SplitMix64's mixer.
    static func score(node: String, group: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in node.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        hash = (hash ^ 0) &* 0x100_0000_01B3
        for byte in group.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var z = hash &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
