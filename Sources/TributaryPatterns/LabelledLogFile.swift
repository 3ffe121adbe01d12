/// A Loghub-style `*_structured.csv`: one row per log line with its
/// `Content` (the message) and `EventId` (its ground-truth template). Parsed
/// as RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends.
public struct LabelledLogFile: Sendable {
    public let name: String
    public let contents: [String]
    public let eventIDs: [String]

    public init(name: String, csv: [UInt8]) throws {
        self.name = name
        let rows = Self.parse(csv)
        guard let header = rows.first else { throw LabelledLogFileError("\(name): empty file; expected a CSV header with Content and EventId") }
        guard let content = header.firstIndex(of: "Content"), let event = header.firstIndex(of: "EventId") else {
            throw LabelledLogFileError("\(name): the header has no Content and EventId columns (found \(header.joined(separator: ",")))")
        }
        var contents: [String] = []
        var events: [String] = []
        for (number, row) in rows.dropFirst().enumerated() {
            if row.count == 1 && row[0].isEmpty { continue }
            guard row.count > max(content, event) else {
                throw LabelledLogFileError("\(name): row \(number + 2) has \(row.count) fields; the header has \(header.count)")
            }
            contents.append(row[content])
            events.append(row[event])
        }
        self.contents = contents
        self.eventIDs = events
    }

    static func parse(_ bytes: [UInt8]) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = 0
        let quote = UInt8(ascii: "\"")
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == quote && field.isEmpty {
                quoted = true
            } else if byte == UInt8(ascii: ",") {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                rows.append(row)
                row = []
            } else {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(String(decoding: field, as: UTF8.self))
            rows.append(row)
        }
        return rows
    }
}

public struct LabelledLogFileError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
