import NIOCore

/// Appends JSON by hand: query results are streamed in pieces, and a
/// line's bytes go out without building intermediate objects.
extension ByteBuffer {
    /// A JSON string; invalid UTF-8 becomes U+FFFD.
    mutating func writeJSONString(_ text: String) {
        writeJSONString(utf8: text.utf8)
    }

    mutating func writeJSONString(bytes: ByteBuffer) {
        writeJSONString(utf8: String(decoding: bytes.readableBytesView, as: UTF8.self).utf8)
    }

    private mutating func writeJSONString(utf8: String.UTF8View) {
        writeInteger(UInt8(ascii: "\""))
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): writeStaticString("\\\"")
            case UInt8(ascii: "\\"): writeStaticString("\\\\")
            case UInt8(ascii: "\n"): writeStaticString("\\n")
            case UInt8(ascii: "\r"): writeStaticString("\\r")
            case UInt8(ascii: "\t"): writeStaticString("\\t")
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                writeString("\\u00" + (hex.count == 1 ? "0" + hex : hex))
            default: writeInteger(byte)
            }
        }
        writeInteger(UInt8(ascii: "\""))
    }

    /// `{"name":"value",…}`
    mutating func writeJSONStringArray(_ values: [String]) {
        writeString("[")
        for (index, value) in values.enumerated() {
            if index > 0 { writeString(",") }
            writeJSONString(value)
        }
        writeString("]")
    }

    mutating func writeJSONObject(_ pairs: [(String, String)]) {
        writeInteger(UInt8(ascii: "{"))
        for (index, pair) in pairs.enumerated() {
            if index > 0 { writeInteger(UInt8(ascii: ",")) }
            writeJSONString(pair.0)
            writeInteger(UInt8(ascii: ":"))
            writeJSONString(pair.1)
        }
        writeInteger(UInt8(ascii: "}"))
    }
}
