import Foundation
import TributaryModel
import TributaryTestSupport

/// Real Loghub lines (../shared/data/loghub) with the timestamps their
/// headers carry, for LogQL tests whose expected answers were counted
/// independently (awk/python over the same files).
enum LoghubLines {
    struct Line {
        var timestamp: Int64
        var text: String
    }

    static func lines(_ name: String) throws -> [String] {
        let url = RepositoryPaths.loghub.appendingPathComponent(name)
        // The files have CRLF line ends (one grapheme in Swift): split the bytes.
        let data = try Data(contentsOf: url)
        return data.split(separator: 0x0A, omittingEmptySubsequences: true).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
    }

    /// OpenSSH_2k.log: `Dec 10 06:55:46 LabSZ sshd[24200]: …`, read as 2025-12-10 UTC.
    static func openSSH() throws -> [Line] {
        let base: Int64 = 1_765_324_800  // 2025-12-10T00:00:00Z
        return try lines("OpenSSH_2k.log").map { text in
            let clock = text.split(separator: " ")[2].split(separator: ":").map { Int64($0)! }
            return Line(timestamp: (base + clock[0] * 3600 + clock[1] * 60 + clock[2]) * 1_000_000_000, text: text)
        }
    }

    /// HDFS_2k.log: `081109 203615 148 INFO dfs.DataNode$PacketResponder: …`.
    static func hdfs() throws -> [Line] {
        let base: Int64 = 1_226_188_800  // 2008-11-09T00:00:00Z
        return try lines("HDFS_2k.log").map { text in
            let fields = text.split(separator: " ")
            let date = Array(fields[0].utf8), time = Array(fields[1].utf8)
            func number(_ bytes: ArraySlice<UInt8>) -> Int64 { Int64(String(decoding: bytes, as: UTF8.self))! }
            let day = number(date[4..<6]) - 9
            let seconds = day * 86_400 + number(time[0..<2]) * 3600 + number(time[2..<4]) * 60 + number(time[4..<6])
            return Line(timestamp: (base + seconds) * 1_000_000_000, text: text)
        }
    }

    /// An HDFS line's header fields: date, time, pid, level, component, content.
    static func hdfsFields(_ text: String) -> (date: String, time: String, pid: String, level: String, component: String, content: String) {
        let parts = text.split(separator: " ", maxSplits: 4).map(String.init)
        let rest = parts[4]
        let colon = rest.range(of: ": ")!
        return (parts[0], parts[1], parts[2], parts[3], String(rest[..<colon.lowerBound]), String(rest[colon.upperBound...]))
    }

    static func labels(_ pairs: [String: String]) -> Labels {
        try! Labels(pairs)
    }
}
