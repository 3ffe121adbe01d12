import Foundation
import TributaryModel

/// Turns `POST /api/v1/events` bodies into change-event records and waits
/// until the batcher has them in the spool.
struct EventIntake: Sendable {
    let batcher: Batcher
    let labels: Labels

    /// (HTTP status, JSON answer).
    func accept(_ body: Data) async -> (Int, String) {
        let event: ChangeEvent
        switch ChangeEventJSON.decode(body, labels: labels) {
        case .success(let decoded): event = decoded
        case .failure(let error): return (400, ChangeEventJSON.error(error.description))
        }
        let spooled = await withCheckedContinuation { continuation in
            batcher.submit([.event(event)], input: "events", bytes: event.message.readableBytes + 32) { spooled in
                continuation.resume(returning: spooled)
            }
        }
        guard spooled else { return (503, ChangeEventJSON.error("the agent is stopping or its spool is not writable; send the event again")) }
        return (202, "{\"status\":\"accepted\"}")
    }
}
