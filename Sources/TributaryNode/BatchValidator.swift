import TributaryModel
import TributaryWire

/// Checks a batch before the node stores it: the body must decode (a
/// batch stored but unreadable would be acknowledged data the node can
/// never serve), and every timestamp must lie within the configured bounds.
///
/// Runs on a concurrent task per batch, off the event loop and off the
/// store's actor; a decoder is made per call (zlib state is not shared).
struct BatchValidator: Sendable {
    /// How far in the past (before now) and future (after now) a record's
    /// timestamp may be, in nanoseconds.
    let maxAge: Int64
    let maxFuture: Int64
    let limits: WireLimits

    /// The batch's records if it may be stored, else the NACK to send.
    func check(_ batch: Batch, now: Int64) -> Result<[Record], BatchRefusal> {
        let records: [Record]
        do {
            records = try BatchDecoder(limits: limits).decode(batch)
        } catch {
            return .failure(BatchRefusal(nack: Nack(sequence: batch.sequence, disposition: .permanent, code: .malformed,
                        reason: "the batch body cannot be decoded: \(error)")))
        }
        let oldest = now &- maxAge
        let newest = now &+ maxFuture
        for (index, record) in records.enumerated() {
            if record.timestamp < oldest {
                return .failure(BatchRefusal(nack: Nack(sequence: batch.sequence, disposition: .permanent, code: .tooOld,
                            reason: "record \(index) has timestamp \(Self.format(record.timestamp)), older than the limit of \(Self.format(oldest)) (limits.max_record_age)")))
            }
            if record.timestamp > newest {
                return .failure(BatchRefusal(nack: Nack(sequence: batch.sequence, disposition: .permanent, code: .tooNew,
                            reason: "record \(index) has timestamp \(Self.format(record.timestamp)), later than the limit of \(Self.format(newest)) (limits.max_record_future; is the sender's clock right?)")))
            }
        }
        return .success(records)
    }

    /// RFC 3339 in UTC, to the second.
    static func format(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds / 1_000_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }
}

/// Why a batch is refused: the NACK to send.
struct BatchRefusal: Error, Equatable {
    let nack: Nack
}
