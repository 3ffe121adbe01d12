import Foundation

/// What one node's query returned for one numbered stream of the chaos test,
/// against what was written.
struct ChaosTally: CustomStringConvertible {
    let stream: String
    let written: Int
    /// Distinct numbers 1…written that came back.
    let received: Int
    /// Numbers 1…written that did not come back.
    let lost: [Int]
    /// Copies beyond the first, summed over numbers.
    let duplicated: Int
    /// Lines numbered beyond what was written (never expected).
    let unexpected: Int

    var description: String {
        "\(stream): written \(written), received \(received), lost \(lost.count)"
            + (lost.isEmpty ? "" : " (e.g. \(lost.prefix(8)))") + ", duplicated \(duplicated), unexpected \(unexpected)"
    }

    /// Every stream's tally from the node at HTTP `port`: one query per agent
    /// (label `chaos_agent`), lines grouped by their first word.
    static func count(port: Int, agents: [String], written: [String: Int]) throws -> [ChaosTally] {
        var counts: [String: [Int: Int]] = [:]
        for agent in agents {
            let response = try NodeHTTP.query(port: port, #"{chaos_agent="\#(agent)"}"#,
                                              ["limit": "1000000", "start": "2h", "direction": "forward"])
            guard response.status == 200 else { throw ChaosTallyError.query("\(response.status) \(response.body.prefix(300))") }
            guard response.json["partial"] as? Bool == false else { throw ChaosTallyError.query("partial: \(response.json["missing"] ?? "")") }
            for message in response.messages {
                let words = message.split(separator: " ", maxSplits: 2)
                guard words.count >= 2, let number = Int(words[1]) else { continue }
                counts[String(words[0]), default: [:]][number, default: 0] += 1
            }
        }
        return written.keys.sorted().map { stream in
            let total = written[stream] ?? 0
            let seen = counts[stream] ?? [:]
            return ChaosTally(
                stream: stream, written: total,
                received: seen.keys.filter { (1...max(total, 1)).contains($0) }.count,
                lost: total == 0 ? [] : (1...total).filter { seen[$0] == nil },
                duplicated: seen.values.reduce(0) { $0 + max(0, $1 - 1) },
                unexpected: seen.keys.filter { $0 < 1 || $0 > total }.count)
        }
    }
}

enum ChaosTallyError: Error {
    case query(String)
}
