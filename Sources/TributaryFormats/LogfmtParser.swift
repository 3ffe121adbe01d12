/// logfmt (`level=info msg="hello world" took=12ms ok`) into key/value
/// pairs, in line order; a bare key gets an empty value.
///
/// - Keys are `[A-Za-z0-9_./-]+`; any other key makes the line not logfmt.
/// - Unquoted values run to the next space or tab and may contain `=` and
///   `"` (URLs with query strings are common in real logs).
/// - Quoted values take `\"` and `\\`, plus `\n`, `\t` and `\r`; any other
///   backslash sequence is kept as written.
/// - Not logfmt (nil): no `key=value` pair at all, a bad key, an
///   unterminated quote, or text glued to a closing quote (`a="b"c`).
///
/// Runs on every log line when enabled, so it scans the string's UTF-8
/// storage in place: the only allocations are the result array and the
/// strings in it (a scratch buffer only when a value has escapes).
public enum LogfmtParser {
    public static func parse(_ line: String) -> [KeyValue]? {
        var line = line
        return line.withUTF8 { parse(utf8: $0) }
    }

    static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [KeyValue]? {
        var pairs: [KeyValue] = []
        var sawValue = false
        var index = 0
        let end = bytes.count
        while true {
            while index < end, isSpace(bytes[index]) { index += 1 }
            if index == end { break }
            let keyStart = index
            while index < end, bytes[index] != UInt8(ascii: "="), !isSpace(bytes[index]) {
                guard isKeyByte(bytes[index]) else { return nil }
                index += 1
            }
            guard index > keyStart else { return nil }
            let key = text(bytes, keyStart..<index)
            guard index < end, bytes[index] == UInt8(ascii: "=") else {
                pairs.append(KeyValue(key, ""))
                continue
            }
            index += 1
            sawValue = true
            if index < end, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                let valueStart = index
                var escaped = false
                while index < end, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") {
                        escaped = true
                        index += 1
                    }
                    index += 1
                }
                guard index < end else { return nil }
                let value = escaped ? unescape(bytes, valueStart..<index) : text(bytes, valueStart..<index)
                index += 1
                guard index == end || isSpace(bytes[index]) else { return nil }
                pairs.append(KeyValue(key, value))
            } else {
                let valueStart = index
                while index < end, !isSpace(bytes[index]) { index += 1 }
                pairs.append(KeyValue(key, text(bytes, valueStart..<index)))
            }
        }
        return sawValue ? pairs : nil
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A quoted value's body (quotes excluded) with its escapes resolved.
    private static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < range.upperBound else {
                out.append(byte)
                continue
            }
            let next = bytes[index]
            index += 1
            switch next {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(next)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            default:
                out.append(byte)
                out.append(next)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Separators between pairs; CR and LF too, so lines read with their
    /// terminator still parse.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    @inline(__always)
    static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}
