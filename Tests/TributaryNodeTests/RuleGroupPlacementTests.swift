import Testing
@testable import TributaryNode

/// Which node evaluates a rule group: rendezvous over the members taken
/// to be up, and when a member counts as down.
@Suite struct RuleGroupPlacementTests {
    @Test func everyNodeWithTheSameViewPicksTheSameOwnerAndOnlyTheDeadOwnersGroupsMove() {
        let nodes = ["node-a", "node-b", "node-c"]
        let groups = (0..<200).map { "acme/rules.yaml/group-\($0)" }
        let owners = groups.map { RuleGroupOwnership.owner(of: $0, among: nodes) }
        #expect(owners == groups.map { RuleGroupOwnership.owner(of: $0, among: nodes.reversed()) })
        // Spread over all three.
        for node in nodes { #expect(owners.filter { $0 == node }.count > 30) }
        let survivors = ["node-a", "node-c"]
        for (group, owner) in zip(groups, owners) {
            let after = RuleGroupOwnership.owner(of: group, among: survivors)
            if owner != "node-b" { #expect(after == owner, "\(group) moved although its owner lives") }
            #expect(after != "node-b")
        }
        #expect(RuleGroupOwnership.owner(of: "g", among: []) == nil)
    }

    @Test func aMemberIsDownOnlyAfterTwoUnansweredProbesAndBackAtOneAnswer() {
        let all = ["node-a", "node-b", "node-c"]
        let live = LiveMembers(all)
        live.update(answered: ["node-a", "node-c"], all: all)
        #expect(live.current == all, "one missed probe is not death")
        live.update(answered: ["node-a", "node-c"], all: all)
        #expect(live.current == ["node-a", "node-c"])
        live.update(answered: ["node-a", "node-c"], all: all)
        #expect(live.current == ["node-a", "node-c"])
        live.update(answered: all, all: all)
        #expect(live.current == all)
        // A member that is down stays down on a single further miss.
        live.set(["node-a"])
        live.update(answered: ["node-a"], all: all)
        #expect(live.current == ["node-a"])
    }
}
