import TributaryModel
import TributaryStorage
import TributaryWire

/// Which stored log lines a node mines into patterns: those of the
/// partitions it leads (`PartitionRouting.leads`, the first of a
/// partition's replicas). A node on its own leads everything; in a cluster
/// every line is mined once, by one node that stores it, so the other
/// replicas store a coordinator's batch without inflating it.
extension IngestStore {
    /// Mines the log records among `records` (of any partitions, as decoded
    /// from a batch) that lie in partitions `routing` leads.
    static func mineLed(_ records: [Record], tenant: String, routing: any PartitionRouting, span: Int64, into patterns: LogPatternRecorder) {
        if routing is SingleNodeRouting {
            patterns.observe(records, tenant: tenant)
            return
        }
        mineLed(records, parts: BatchPart.split(records, tenant: tenant, span: span, routing: routing), routing: routing, into: patterns,
                tenant: tenant)
    }

    /// Mines `records`, all of which lie in `parts`, where `routing` leads
    /// their part.
    static func mineLed(_ records: [Record], parts: [BatchPart], routing: any PartitionRouting, into patterns: LogPatternRecorder,
                        tenant: String) {
        let led = parts.filter { routing.leads($0.key) }
        guard !led.isEmpty else { return }
        patterns.observe(led.count == parts.count ? records : records.filter { isIn(led, $0) }, tenant: tenant)
    }

    /// The parts of `parts` whose lines this node mines.
    nonisolated func ledParts(_ parts: [BatchPart]) -> [BatchPart] {
        let routing = partitions.routing
        return parts.filter { routing.leads($0.key) }
    }
}
