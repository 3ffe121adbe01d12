import Foundation
import Logging
import TributaryCompression
import TributaryModel
import TributaryWire

/// What the agent does with a batch a node refused for good (a permanent
/// NACK): the refusal is about one record or a few, so the batch is split
/// in two and each half is spooled under a new sequence and sent again;
/// halves that are refused again are split again, until a refused record
/// stands alone and goes to the dead-letter file. Every other record is
/// delivered. A refusal that is about the batch itself (a different agent
/// id, a body that does not decode) dead-letters what can be read of it.
///
/// The halves are in the spool, synced, before the refused batch leaves
/// it, so a crash at any point loses nothing (at worst a half is sent
/// again, and the node deduplicates it).
struct BatchIsolator: Sendable {
    enum Outcome: Equatable {
        /// The halves' new sequences, to send.
        case split([UInt64])
        /// Records written to the dead-letter file (or lost, if it could not be written).
        case deadLettered(records: Int, written: Bool)
    }

    let spool: Spool
    let agentID: String
    let compression: CompressionLevel?
    let deadLetters: DeadLetterFile
    let metrics: AgentMetrics
    let logger: Logger

    /// Refusals about a record's contents, which splitting can isolate.
    static let recordCodes: Set<Nack.Code> = [.malformed, .tooLarge, .tooOld, .tooNew]

    func isolate(_ sequence: UInt64, _ nack: Nack) -> Outcome {
        let reason = "\(nack.code): \(nack.reason)"
        let records: [Record]
        do {
            records = try BatchDecoder().decode(try spool.batch(sequence, agentID: agentID))
        } catch {
            let count = spool.recordCount(of: sequence)
            logger.error("batch \(sequence) was refused for good (\(reason)) and cannot be read back (\(error)): its \(count) records are lost")
            metrics.add("tributary_agent_dropped_total", "permanent_nack", count)
            return .deadLettered(records: count, written: false)
        }
        if records.count > 1, Self.recordCodes.contains(nack.code) {
            let middle = records.count / 2
            do {
                let encoder = BatchEncoder(compression: compression)
                var halves: [UInt64] = []
                for half in [Array(records[..<middle]), Array(records[middle...])] {
                    halves.append(try spool.append(try encoder.encode(half, agentID: agentID, sequence: 1), positions: []))
                }
                try spool.sync()
                metrics.split(sequence, into: [(halves[0], middle), (halves[1], records.count - middle)])
                logger.notice("batch \(sequence) (\(records.count) records) split into \(halves[0]) and \(halves[1]) to isolate what the node refused")
                return .split(halves)
            } catch {
                logger.error("cannot split refused batch \(sequence) (\(error)): its \(records.count) records go to the dead-letter file")
            }
        }
        let written = deadLetters.append(records, reason: reason)
        if written {
            metrics.add("tributary_agent_dead_letter_total", Self.reasonLabel(nack.code), records.count)
            logger.error("\(records.count == 1 ? "a record" : "\(records.count) records") of batch \(sequence) refused for good (\(reason)): written to \(deadLetters.path)")
        } else {
            metrics.add("tributary_agent_dropped_total", "permanent_nack", records.count)
        }
        return .deadLettered(records: records.count, written: written)
    }

    static func reasonLabel(_ code: Nack.Code) -> String {
        code.description.lowercased().replacingOccurrences(of: " ", with: "_")
    }
}
