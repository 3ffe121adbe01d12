import Foundation
import TributaryPatterns

/// The six Loghub samples with ground truth (`../shared/data/loghub`).
enum LoghubLabelledFiles {
    static var directory: URL {
        var up = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { up = up.deletingLastPathComponent() }
        return up.appendingPathComponent("shared/data/loghub")
    }

    static func load() throws -> [LabelledLogFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix("_structured.csv") }.sorted()
        return try names.map { name in
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
            return try LabelledLogFile(name: name, csv: bytes)
        }
    }
}
