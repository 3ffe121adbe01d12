/// A JSON object line flattened to key/value pairs, in document order:
///
/// - nested objects join keys with "." (`{"a":{"b":1}}` → `a.b=1`); an
///   empty nested object is the value `{}` (the top-level `{}` gives no
///   pairs);
/// - arrays keep their compact JSON text (strings inside them as written);
/// - strings are unescaped (`\uXXXX` with surrogate pairs; a lone
///   surrogate becomes U+FFFD, and so do invalid UTF-8 bytes);
/// - numbers stay as written, `true`, `false` and `null` as text;
/// - duplicate keys are all kept.
///
/// nil when the input is not exactly one JSON object (whitespace around it
/// allowed), including trailing data and nesting deeper than 32 containers
/// (the top-level object counts as one). A hand-written parser over bytes
/// that never traps on malformed input.
public enum JSONLineParser {
    /// Most objects and arrays open at once, the top-level object included.
    public static var maxDepth: Int { JSONReader.maxDepth }

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> [KeyValue]? {
        var reader = JSONReader(bytes)
        var pairs: [KeyValue] = []
        pairs.reserveCapacity(8)
        guard reader.document({ key, value, _ in pairs.append(KeyValue(key, value)) }) else { return nil }
        return pairs
    }

    public static func parse(_ text: String) -> [KeyValue]? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }
}
