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
        // Floor division that cannot overflow: a hostile batch may carry Int64.min.
        let seconds = nanoseconds / 1_000_000_000 - (nanoseconds % 1_000_000_000 < 0 ? 1 : 0)
        let (year, month, day, secondOfDay) = CivilTime.date(ofSeconds: seconds)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }
}

/// Why a batch is refused: the NACK to send.
struct BatchRefusal: Error, Equatable {
    let nack: Nack
}
