/// `| decolorize`: removes ANSI escape sequences (colours, cursor moves)
/// from the line — the sequences Loki's pattern (from acarl005/stripansi)
/// recognises: ESC or CSI (U+009B), then `[`, `]`, `(`, `)`, `#`, `;`, `?`
/// characters, then either an OSC text ended by BEL or numeric parameters
/// and a final letter.
final class DecolorizeStage: LogPipelineStage {
    private var output: [UInt8] = []

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        let changed: Bool = line.withBytes { bytes in
            guard bytes.contains(0x1B) || bytes.contains(0xC2) else { return false }
            output.removeAll(keepingCapacity: true)
            var index = 0
            var removed = false
            while index < bytes.count {
                let introducer = bytes[index] == 0x1B ? 1 : (bytes[index] == 0xC2 && index + 1 < bytes.count && bytes[index + 1] == 0x9B ? 2 : 0)
                if introducer > 0, let end = Self.sequenceEnd(bytes, from: index + introducer) {
                    index = end
                    removed = true
                    continue
                }
                output.append(bytes[index])
                index += 1
            }
            return removed
        }
        if changed { line.rewritten = output }
        return true
    }

    /// Where the sequence whose body starts at `start` ends, if it is one.
    static func sequenceEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < bytes.count, "[]()#;?".utf8.contains(bytes[index]) { index += 1 }
        // OSC form: [a-zA-Z\d]*(;[a-zA-Z\d]*)* BEL
        var cursor = index
        while cursor < bytes.count, isAlphanumeric(bytes[cursor]) || bytes[cursor] == UInt8(ascii: ";") { cursor += 1 }
        if cursor < bytes.count, bytes[cursor] == 0x07 { return cursor + 1 }
        // CSI form: (\d{1,4}(;\d{0,4})*)? final
        cursor = index
        var digits = 0
        while cursor < bytes.count, isDigit(bytes[cursor]), digits < 4 {
            cursor += 1
            digits += 1
        }
        if digits > 0 {
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: ";") {
                cursor += 1
                var more = 0
                while cursor < bytes.count, isDigit(bytes[cursor]), more < 4 {
                    cursor += 1
                    more += 1
                }
            }
        }
        guard cursor < bytes.count, isFinal(bytes[cursor]) else { return nil }
        return cursor + 1
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// `[\dA-PRZcf-ntqry=><~]`
    private static func isFinal(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x50) || byte == 0x52 || byte == 0x5A || byte == 0x63
            || (byte >= 0x66 && byte <= 0x6E) || "tqry=><~".utf8.contains(byte)
    }
}
