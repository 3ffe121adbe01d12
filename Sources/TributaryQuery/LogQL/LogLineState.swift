/// The line a pipeline stage sees: the source's bytes until a stage
/// rewrites it (`line_format`, `decolorize`, `unpack`), then the rewritten
/// bytes.
struct LogLineState {
    var timestamp: Int64
    var input: UnsafeRawBufferPointer
    var rewritten: [UInt8]?

    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let rewritten { return try rewritten.withUnsafeBytes(body) }
        return try body(input)
    }

    var count: Int { rewritten?.count ?? input.count }
}
