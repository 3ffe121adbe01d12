import Testing
import TributaryAPI
@testable import TributaryNode

/// Which version each agent gets from a release (docs/fleet-config.md).
@Suite struct FleetConfigReleaseTests {
    static func release(canary: Int, stable: UInt64?) -> FleetConfigRelease {
        FleetConfigRelease(group: "web", revision: 2, version: 2, body: "two", canary: canary, stable: stable,
                           stableBody: stable.map { "v\($0)" }, at: 10, node: "node-a", versionPushedAt: 10, versionPushedVia: "node-a")
    }

    static let agents = (0..<400).map { "agent-\($0)" }

    @Test func aCanaryGivesTheNewVersionToTheAgentsBelowItsPercentageAndTheStableOneToTheRest() throws {
        let release = Self.release(canary: 25, stable: 1)
        var inside = 0
        for agent in Self.agents {
            let target = try #require(release.target(for: agent))
            let expected: UInt64 = FleetCanary.bucket(of: agent) < 25 ? 2 : 1
            #expect(target.version == expected)
            #expect(target.body == (expected == 2 ? "two" : "v1"))
            if expected == 2 { inside += 1 }
        }
        // FNV-1a spreads ids evenly enough that a quarter is roughly a quarter.
        #expect((60...140).contains(inside), "\(inside) of 400 in a 25% canary")
    }

    @Test func theCanaryOnlyGrowsAsItsPercentageGrows() {
        for agent in Self.agents where FleetCanary.includes(agent, percent: 10) {
            #expect(FleetCanary.includes(agent, percent: 50))
        }
        #expect(Self.agents.allSatisfy { FleetCanary.includes($0, percent: 100) })
    }

    @Test func outsideACanaryWithoutAnEarlierVersionAnAgentGetsNothing() {
        let release = Self.release(canary: 1, stable: nil)
        let outside = Self.agents.first { !FleetCanary.includes($0, percent: 1) }!
        #expect(release.target(for: outside) == nil)
    }

    @Test func aHigherRevisionSupersedesThenTimeThenNode() {
        var older = Self.release(canary: 100, stable: nil)
        var newer = older
        newer.revision = 3
        #expect(newer.supersedes(older) && !older.supersedes(newer))
        older.revision = 3
        newer.at = 11
        #expect(newer.supersedes(older))
        older.at = 11
        newer.node = "node-b"
        #expect(newer.supersedes(older) && !older.supersedes(newer))
    }
}
