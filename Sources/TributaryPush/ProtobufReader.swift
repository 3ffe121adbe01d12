/// A cursor over protobuf wire format in a byte array, for the hot push
/// decoders (remote write, Loki push) that read fields in place instead
/// of building swift-protobuf messages with a `String` per label.
///
/// Every read is bounds-checked against the end of the enclosing message
/// and throws a 400 on malformed input (truncated or over-long varints,
/// lengths past the end, groups, field number 0). The reader never
/// recurses: decoders descend a fixed number of levels and unknown fields
/// are skipped by their length, so nesting depth costs no stack, and it
/// allocates nothing itself.
struct ProtobufReader {
    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, range: 0..<bytes.count)
    }

    /// A reader of the embedded message at `range` (from `lengthDelimited()`).
    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    private func malformed(_ why: String) -> PushError {
        .badRequest("malformed protobuf at byte \(position): \(why)")
    }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws(PushError) -> (number: Int, type: WireType)? {
        guard position < end else { return nil }
        let key = try varint()
        let number = key >> 3
        guard number > 0, number <= 536_870_911 else { throw malformed("field number \(number) is out of range") }
        guard let type = WireType(rawValue: UInt8(key & 7)) else {
            throw malformed("wire type \(key & 7) (groups or unknown) is not supported")
        }
        return (Int(number), type)
    }

    mutating func varint() throws(PushError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw malformed("truncated varint") }
            let byte = bytes[position]
            position += 1
            if shift == 63, byte > 1 { throw malformed("varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw malformed("varint longer than 10 bytes") }
        }
    }

    mutating func fixed64() throws(PushError) -> UInt64 {
        guard end - position >= 8 else { throw malformed("truncated 64-bit field") }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += 8
        return value
    }

    /// The byte range of a length-delimited field (string, bytes, message).
    mutating func lengthDelimited() throws(PushError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw malformed("length \(length) runs past the end of the message") }
        let start = position
        position += Int(length)
        return start..<position
    }

    /// Skips a field of `type` whose value has not been read.
    mutating func skip(_ type: WireType) throws(PushError) {
        switch type {
        case .varint: _ = try varint()
        case .fixed64:
            guard end - position >= 8 else { throw malformed("truncated 64-bit field") }
            position += 8
        case .fixed32:
            guard end - position >= 4 else { throw malformed("truncated 32-bit field") }
            position += 4
        case .lengthDelimited: _ = try lengthDelimited()
        }
    }

    /// Checks that a known field has the wire type its schema gives it.
    func expect(_ type: WireType, _ expected: WireType, field: String) throws(PushError) {
        guard type == expected else { throw malformed("field \(field) has wire type \(type.rawValue), expected \(expected.rawValue)") }
    }

    /// The UTF-8 string at `range`; a 400 when it is not valid UTF-8
    /// (protobuf `string` fields must be).
    func string(_ range: Range<Int>, field: String) throws(PushError) -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw .badRequest("malformed protobuf at byte \(range.lowerBound): field \(field) is not valid UTF-8")
        }
        return text
    }

    /// Whether the bytes at `range` are valid UTF-8, without building a String.
    func isValidUTF8(_ range: Range<Int>) -> Bool {
        var ascii = true
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] >= 0x80 { ascii = false; break }
            index += 1
        }
        if ascii { return true }
        return String(validating: bytes[range], as: UTF8.self) != nil
    }
}
