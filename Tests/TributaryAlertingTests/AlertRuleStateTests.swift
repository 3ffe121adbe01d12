import Testing
import TributaryModel
@testable import TributaryAlerting

@Suite struct AlertRuleStateTests {
    static let second: Int64 = 1_000_000_000
    let labels = try! Labels(["alertname": "High", "job": "api"])

    func returned(_ value: Double = 1) -> [(labels: Labels, annotations: [String: String], value: Double)] {
        [(labels, ["summary": "v=\(value)"], value)]
    }

    func kinds(_ transitions: [AlertTransition]) -> [String] {
        transitions.map {
            switch $0 {
            case .pending: "pending"
            case .firing: "firing"
            case .resolved: "resolved"
            }
        }
    }

    @Test func pendingForTheHoldDurationThenFiringThenResolved() {
        var state = AlertRuleState()
        let hold = 60 * Self.second
        #expect(kinds(state.evaluate(returned(), at: 0, holdDuration: hold, keepFiringFor: 0)) == ["pending"])
        #expect(state.alerts[labels]?.state == .pending)
        #expect(kinds(state.evaluate(returned(2), at: 30 * Self.second, holdDuration: hold, keepFiringFor: 0)).isEmpty)
        #expect(state.alerts[labels]?.value == 2)
        #expect(state.alerts[labels]?.annotations["summary"] == "v=2.0")
        #expect(kinds(state.evaluate(returned(), at: 60 * Self.second, holdDuration: hold, keepFiringFor: 0)) == ["firing"])
        #expect(state.alerts[labels]?.activeAt == 0)
        #expect(state.alerts[labels]?.firedAt == 60 * Self.second)
        #expect(kinds(state.evaluate([], at: 90 * Self.second, holdDuration: hold, keepFiringFor: 0)) == ["resolved"])
        #expect(state.alerts[labels]?.state == .inactive)
        #expect(state.alerts[labels]?.resolvedAt == 90 * Self.second)
    }

    @Test func pendingAlertThatDisappearsNeverFires() {
        var state = AlertRuleState()
        _ = state.evaluate(returned(), at: 0, holdDuration: 60 * Self.second, keepFiringFor: 0)
        #expect(state.evaluate([], at: 30 * Self.second, holdDuration: 60 * Self.second, keepFiringFor: 0).isEmpty)
        #expect(state.alerts.isEmpty)
        // Returned again: its timer starts over.
        _ = state.evaluate(returned(), at: 40 * Self.second, holdDuration: 60 * Self.second, keepFiringFor: 0)
        #expect(state.alerts[labels]?.activeAt == 40 * Self.second)
    }

    @Test func zeroHoldFiresAtOnce() {
        var state = AlertRuleState()
        #expect(kinds(state.evaluate(returned(), at: 5, holdDuration: 0, keepFiringFor: 0)) == ["firing"])
    }

    @Test func keepFiringForHoldsAFiringAlertThroughGaps() {
        var state = AlertRuleState()
        let keep = 120 * Self.second
        _ = state.evaluate(returned(), at: 0, holdDuration: 0, keepFiringFor: keep)
        #expect(state.evaluate([], at: 60 * Self.second, holdDuration: 0, keepFiringFor: keep).isEmpty)
        #expect(state.alerts[labels]?.state == .firing)
        #expect(state.alerts[labels]?.keepFiringSince == 60 * Self.second)
        // Back before keep_firing_for ran out: still the same firing alert.
        #expect(state.evaluate(returned(), at: 120 * Self.second, holdDuration: 0, keepFiringFor: keep).isEmpty)
        #expect(state.alerts[labels]?.keepFiringSince == nil)
        #expect(state.evaluate([], at: 180 * Self.second, holdDuration: 0, keepFiringFor: keep).isEmpty)
        #expect(kinds(state.evaluate([], at: 300 * Self.second, holdDuration: 0, keepFiringFor: keep)) == ["resolved"])
    }

    @Test func resolvedAlertsAreKeptFifteenMinutesAndReturningOnesStartOver() {
        var state = AlertRuleState()
        _ = state.evaluate(returned(), at: 0, holdDuration: 0, keepFiringFor: 0)
        _ = state.evaluate([], at: 10 * Self.second, holdDuration: 0, keepFiringFor: 0)
        _ = state.evaluate([], at: 10 * Self.second + AlertRuleState.resolvedRetention - 1, holdDuration: 0, keepFiringFor: 0)
        #expect(state.alerts[labels]?.state == .inactive)
        _ = state.evaluate([], at: 10 * Self.second + AlertRuleState.resolvedRetention, holdDuration: 0, keepFiringFor: 0)
        #expect(state.alerts.isEmpty)
        var again = AlertRuleState()
        _ = again.evaluate(returned(), at: 0, holdDuration: 0, keepFiringFor: 0)
        _ = again.evaluate([], at: 10, holdDuration: 0, keepFiringFor: 0)
        #expect(kinds(again.evaluate(returned(), at: 20, holdDuration: 30, keepFiringFor: 0)) == ["pending"])
        #expect(again.alerts[labels]?.activeAt == 20)
    }

    @Test func restoreContinuesTheStoredTimerAndFiringState() {
        let hold = 60 * Self.second
        var moved = AlertRuleState()
        _ = moved.evaluate(returned(), at: 100 * Self.second, holdDuration: hold, keepFiringFor: 0)
        _ = moved.restore(activeAt: [labels: 30 * Self.second], firing: [])
        #expect(moved.alerts[labels]?.activeAt == 30 * Self.second)
        #expect(kinds(moved.promote(at: 100 * Self.second, holdDuration: hold)) == ["firing"])

        var wasFiring = AlertRuleState()
        _ = wasFiring.evaluate(returned(), at: 100 * Self.second, holdDuration: hold, keepFiringFor: 0)
        _ = wasFiring.restore(activeAt: [labels: 10 * Self.second], firing: [labels])
        #expect(wasFiring.alerts[labels]?.state == .firing)
        #expect(wasFiring.promote(at: 100 * Self.second, holdDuration: hold).isEmpty)

        // A stored timer for labels the expression no longer returns is ignored.
        var gone = AlertRuleState()
        _ = gone.restore(activeAt: [labels: 10], firing: [])
        #expect(gone.alerts.isEmpty)
    }

    @Test func aStoredFiringAlertNoLongerReturnedIsResolvedOrKeptByKeepFiringFor() {
        var resolved = AlertRuleState()
        _ = resolved.evaluate([], at: 100 * Self.second, holdDuration: 0, keepFiringFor: 0)
        let transitions = resolved.restore(activeAt: [labels: 10 * Self.second], firing: [labels], at: 100 * Self.second, keepFiringFor: 0) { _ in
            ["summary": "was high"]
        }
        #expect(kinds(transitions) == ["resolved"])
        #expect(resolved.alerts[labels]?.activeAt == 10 * Self.second)
        #expect(resolved.alerts[labels]?.resolvedAt == 100 * Self.second)
        #expect(resolved.alerts[labels]?.annotations == ["summary": "was high"])

        var kept = AlertRuleState()
        #expect(kept.restore(activeAt: [labels: 10 * Self.second], firing: [labels], at: 100 * Self.second, keepFiringFor: 60 * Self.second).isEmpty)
        #expect(kept.alerts[labels]?.state == .firing)
        #expect(kinds(kept.evaluate([], at: 130 * Self.second, holdDuration: 0, keepFiringFor: 60 * Self.second)).isEmpty)
        #expect(kinds(kept.evaluate([], at: 160 * Self.second, holdDuration: 0, keepFiringFor: 60 * Self.second)) == ["resolved"])
    }

    @Test func timesNearTheEndsOfInt64DoNotTrap() {
        var state = AlertRuleState()
        _ = state.evaluate(returned(), at: Int64.min, holdDuration: Int64.max, keepFiringFor: Int64.max)
        #expect(kinds(state.evaluate(returned(), at: Int64.max, holdDuration: Int64.max, keepFiringFor: Int64.max)) == ["firing"])
    }
}
