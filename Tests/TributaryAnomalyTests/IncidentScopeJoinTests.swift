import Testing
import TributaryAnomaly
import TributaryModel

/// Which alerts share an incident: the same service, no dimension in conflict.
struct IncidentScopeJoinTests {
    static func scope(_ labels: [String: String]) throws -> IncidentScope { IncidentScope(labels: try Labels(labels)) }

    @Test func theSameServiceJoinsUnlessAnotherDimensionDisagrees() throws {
        let memory = try Self.scope(["service": "checkout", "host": "web-1", "__name__": "process_resident_memory_bytes"])
        #expect(memory.joins(try Self.scope(["service": "checkout"])))
        #expect(try Self.scope(["service": "checkout"]).joins(memory))
        #expect(memory.joins(try Self.scope(["app": "checkout", "host": "web-1"])))
        #expect(!memory.joins(try Self.scope(["service": "checkout", "host": "web-2"])))
        #expect(!memory.joins(try Self.scope(["service": "search", "host": "web-1"])))
        #expect(!(try Self.scope(["host": "web-1"])).joins(try Self.scope(["host": "web-1", "cluster": "eu"])))
    }

    @Test func aPatternAlertOfTheServiceJoinsTheMemoryIncident() throws {
        var log = IncidentLog()
        let minute: Int64 = 60_000_000_000
        let builder = IncidentBuilder()
        let memory = IncidentTrigger(name: "CheckoutMemoryAnomaly", labels: try Labels(["service": "checkout", "host": "web-1"]),
                                     since: 100 * minute, time: 105 * minute, summary: "memory of checkout is rising")
        let pattern = IncidentTrigger(name: "CheckoutLogPatterns", labels: try Labels(["service": "checkout", "pattern_id": "7"]),
                                      since: 99 * minute, time: 106 * minute, summary: "a new log pattern in checkout")
        let first = log.record(builder.build(trigger: memory))
        let second = log.record(builder.build(trigger: pattern))
        #expect(first.isNew && !second.isNew)
        #expect(second.incident.id == first.incident.id)
        #expect(second.incident.start == 99 * minute)
        #expect(log.incidents.count == 1)
    }
}
