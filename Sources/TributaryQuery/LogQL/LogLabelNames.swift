import TributaryModel

/// The names LogQL gives special meaning, and how parsed keys become label
/// names (as Loki's `sanitizeLabelKey`).
enum LogLabelNames {
    static let error = "__error__"
    static let errorDetails = "__error_details__"
    /// Appended to a parsed label whose name a stream label (or a record
    /// field) already has: `level` from `| json` on a stream with a `level`
    /// label becomes `level_extracted`.
    static let duplicateSuffix = "_extracted"
    /// The key Promtail's `pack` stage stores the original line under.
    static let packedEntry = "_entry"

    static let jsonParserError = "JSONParserErr"
    static let logfmtParserError = "LogfmtParserErr"
    static let sampleExtractionError = "SampleExtractionErr"
    static let labelFilterError = "LabelFilterErr"
    static let templateFormatError = "TemplateFormatErr"

    /// Trims spaces, prefixes `_` when the key starts with a digit (unless
    /// `digitPrefix` is false: the later parts of a nested JSON key), and
    /// turns every character outside `[A-Za-z0-9_]` into `_`; empty stays
    /// empty (the caller skips it).
    static func sanitize(_ key: some Collection<UInt8>, digitPrefix: Bool = true) -> String {
        var bytes = Array(key)
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        let leading = bytes.prefix { isSpace($0) }.count
        bytes.removeFirst(leading)
        guard let first = bytes.first else { return "" }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 1)
        if digitPrefix, first >= 0x30 && first <= 0x39 { result.append(0x5F) }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isNameByte(byte) {
                result.append(byte)
                index += 1
            } else {
                // One `_` per character, not per byte (Loki maps runes).
                result.append(0x5F)
                index += max(1, utf8Length(byte))
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    static func sanitize(_ key: String) -> String {
        Label.isValidName(key) ? key : sanitize(key.utf8)
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || (byte >= 0x30 && byte <= 0x39)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    private static func utf8Length(_ lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 1
        }
    }
}
