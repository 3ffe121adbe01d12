import Foundation

/// A golden vector file of `proto/vectors/`: hex bytes with `#` comments;
/// a `# error: KIND` line names the error an invalid vector must produce.
public struct HexVector: Sendable {
    public let name: String
    public let bytes: [UInt8]
    public let expectedError: String?

    public init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        name = url.lastPathComponent
        var hex = ""
        var error: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            hex += parts[0].filter { !$0.isWhitespace }
            if parts.count > 1 {
                let comment = parts[1].trimmingCharacters(in: .whitespaces)
                if comment.hasPrefix("error:") {
                    error = comment.dropFirst("error:".count).trimmingCharacters(in: .whitespaces)
                }
            }
        }
        guard hex.count % 2 == 0 else { throw HexVectorError.oddDigitCount(url.path) }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { throw HexVectorError.notHex(url.path, String(hex[index..<next])) }
            bytes.append(byte)
            index = next
        }
        self.bytes = bytes
        self.expectedError = error
    }

    /// Every `*.hex` file in `directory`, sorted by name.
    public static func all(in directory: URL) throws -> [HexVector] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "hex" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
            .map(HexVector.init(contentsOf:))
    }
}

public enum HexVectorError: Error {
    case oddDigitCount(String)
    case notHex(String, String)
}
