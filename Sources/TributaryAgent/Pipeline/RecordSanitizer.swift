import NIOCore
import TributaryModel
import TributaryWire

/// Repairs, at the source, what a node would refuse, so that one bad record
/// never takes a batch of good ones with it:
///
/// - a timestamp outside `[now - maxAge, now + maxFuture]` (an RFC 3164
///   sender in another zone, a device with an unset clock, 1970 or 2030)
///   becomes the time the agent received it; the original is kept in the
///   field `original_timestamp` and the record is flagged `repaired`;
/// - a message, label value, field name or field value over the wire
///   protocol's limits is cut on a UTF-8 character boundary; fields beyond
///   the most a record may have are dropped; the record is flagged
///   `truncated` with what was cut.
///
/// Each repair is counted (`tributary_agent_repaired_total{reason}`).
/// Records that still cannot be encoded are isolated by the batcher and
/// dead-lettered alone.
struct RecordSanitizer: Sendable {
    enum Repair: String, CaseIterable, Sendable {
        case timestamp, message, label, fieldName = "field_name", fieldValue = "field_value", fields
    }

    let limits: WireLimits
    /// Nanoseconds a record may be older / newer than now.
    let maxAge: Int64
    let maxFuture: Int64

    init(limits: WireLimits = .default, maxAge: Int64, maxFuture: Int64) {
        self.limits = limits
        self.maxAge = maxAge
        self.maxFuture = maxFuture
    }

    /// Whether `sanitize` would change the record; cheap, copies nothing.
    func needsRepair(_ record: Record, now: Int64) -> Bool {
        let timestamp = record.timestamp
        if timestamp < now &- maxAge || timestamp > now &+ maxFuture { return true }
        for label in record.labels where label.value.utf8.count > limits.maxStringBytes { return true }
        switch record {
        case .log(let log):
            if log.message.readableBytes > limits.maxMessageBytes || log.fields.count > limits.maxFieldsPerRecord - 3 { return true }
            for field in log.fields where field.name.isEmpty || field.name.utf8.count > limits.maxStringBytes
                || field.value.utf8.count > limits.maxFieldValueBytes {
                return true
            }
            return false
        case .metric(let sample):
            return sample.name.utf8.count > limits.maxStringBytes
        case .event(let event):
            return event.message.readableBytes > limits.maxMessageBytes || event.type.utf8.count > limits.maxStringBytes
        }
    }

    /// The record as a node will take it, and what was repaired.
    func sanitize(_ record: Record, now: Int64) -> (Record, [Repair]) {
        var repairs: [Repair] = []
        let oldest = now &- maxAge
        let newest = now &+ maxFuture
        let badTime = record.timestamp < oldest || record.timestamp > newest
        if badTime { repairs.append(.timestamp) }
        let labels = sanitized(record.labels, &repairs)
        switch record {
        case .log(var log):
            var extra: [Field] = []
            if badTime {
                extra.append(Field("original_timestamp", CivilTime.rfc3339(nanoseconds: log.timestamp)))
                log.timestamp = now
            }
            log.labels = labels
            if log.message.readableBytes > limits.maxMessageBytes {
                log.message = log.message.truncatedUTF8(toBytes: limits.maxMessageBytes)
                repairs.append(.message)
            }
            log.fields = sanitized(log.fields, reserving: 3, &repairs)
            if repairs.isEmpty { return (.log(log), []) }
            if badTime { extra.append(Field("repaired", "timestamp")) }
            let cut = repairs.filter { $0 != .timestamp }.map(\.rawValue)
            if !cut.isEmpty { extra.append(Field("truncated", Array(Set(cut)).sorted().joined(separator: ","))) }
            log.fields.append(contentsOf: extra)
            return (.log(log), repairs)
        case .metric(var sample):
            if badTime { sample.timestamp = now }
            sample.labels = labels
            if sample.name.utf8.count > limits.maxStringBytes {
                sample.name = sample.name.truncatedUTF8(toBytes: limits.maxStringBytes)
                repairs.append(.label)
            }
            return (.metric(sample), repairs)
        case .event(var event):
            if badTime { event.timestamp = now }
            event.labels = labels
            if event.message.readableBytes > limits.maxMessageBytes {
                event.message = event.message.truncatedUTF8(toBytes: limits.maxMessageBytes)
                repairs.append(.message)
            }
            if event.type.utf8.count > limits.maxStringBytes {
                event.type = event.type.truncatedUTF8(toBytes: limits.maxStringBytes)
                repairs.append(.label)
            }
            return (.event(event), repairs)
        }
    }

    private func sanitized(_ labels: Labels, _ repairs: inout [Repair]) -> Labels {
        guard labels.contains(where: { $0.value.utf8.count > limits.maxStringBytes }) else { return labels }
        repairs.append(.label)
        var result = labels
        for label in labels where label.value.utf8.count > limits.maxStringBytes {
            result = (try? result.setting(label.name, to: label.value.truncatedUTF8(toBytes: limits.maxStringBytes))) ?? result
        }
        return result
    }

    /// Fields within the limits, leaving room for `reserving` flags.
    private func sanitized(_ fields: [Field], reserving: Int, _ repairs: inout [Repair]) -> [Field] {
        let room = limits.maxFieldsPerRecord - reserving
        let nameLimit = limits.maxStringBytes
        let valueLimit = limits.maxFieldValueBytes
        guard fields.count > room || fields.contains(where: { $0.name.isEmpty || $0.name.utf8.count > nameLimit || $0.value.utf8.count > valueLimit })
        else { return fields }
        var result: [Field] = []
        result.reserveCapacity(min(fields.count, room))
        for field in fields {
            guard result.count < room else {
                repairs.append(.fields)
                break
            }
            var field = field
            if field.name.isEmpty {
                field.name = "_"
                repairs.append(.fieldName)
            } else if field.name.utf8.count > nameLimit {
                field.name = field.name.truncatedUTF8(toBytes: nameLimit)
                repairs.append(.fieldName)
            }
            if field.value.utf8.count > valueLimit {
                field.value = field.value.truncatedUTF8(toBytes: valueLimit)
                repairs.append(.fieldValue)
            }
            result.append(field)
        }
        return result
    }
}
