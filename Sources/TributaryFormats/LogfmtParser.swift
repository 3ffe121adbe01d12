/// logfmt (`level=info msg="hello world" took=12ms ok`) into key/value
/// pairs; a bare key gets an empty value. Quoted values take `\"` and `\\`.
public enum LogfmtParser {
    /// The pairs, or nil when the line is not logfmt (no `key=value` at
    /// all, a bad key, or an unterminated quote).
    public static func parse(_ line: String) -> [KeyValue]? {
        var pairs: [KeyValue] = []
        var sawEquals = false
        var utf8 = Array(line.utf8)[...]
        while true {
            while let first = utf8.first, first == 0x20 || first == 0x09 { utf8 = utf8.dropFirst() }
            guard !utf8.isEmpty else { break }
            var keyEnd = utf8.startIndex
            while keyEnd < utf8.endIndex, utf8[keyEnd] != 0x3D, utf8[keyEnd] != 0x20, utf8[keyEnd] != 0x09 { keyEnd += 1 }
            let key = utf8[utf8.startIndex..<keyEnd]
            guard !key.isEmpty, key.allSatisfy(isKeyByte) else { return nil }
            utf8 = utf8[keyEnd...]
            guard utf8.first == 0x3D else {
                pairs.append(KeyValue(String(decoding: key, as: UTF8.self), ""))
                continue
            }
            sawEquals = true
            utf8 = utf8.dropFirst()
            if utf8.first == 0x22 {
                utf8 = utf8.dropFirst()
                var value: [UInt8] = []
                var closed = false
                while let byte = utf8.first {
                    utf8 = utf8.dropFirst()
                    if byte == 0x5C, let next = utf8.first {
                        value.append(next == 0x6E ? 0x0A : next == 0x74 ? 0x09 : next)
                        utf8 = utf8.dropFirst()
                    } else if byte == 0x22 {
                        closed = true
                        break
                    } else {
                        value.append(byte)
                    }
                }
                guard closed else { return nil }
                pairs.append(KeyValue(String(decoding: key, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            } else {
                var valueEnd = utf8.startIndex
                while valueEnd < utf8.endIndex, utf8[valueEnd] != 0x20, utf8[valueEnd] != 0x09 { valueEnd += 1 }
                pairs.append(KeyValue(String(decoding: key, as: UTF8.self), String(decoding: utf8[utf8.startIndex..<valueEnd], as: UTF8.self)))
                utf8 = utf8[valueEnd...]
            }
        }
        return sawEquals ? pairs : nil
    }

    static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F || byte == 0x2E || byte == 0x2D || byte == 0x2F
    }
}
