import FuzzSupport
import TributarySyslog

/// libFuzzer target: a syslog TCP stream through `SyslogFramer` (octet
/// counting or newline framing, fed in pieces whose size the first byte
/// picks), each frame and the whole input through `SyslogParser`.
///
/// The parser never fails; the ranges it returns must lie inside the input
/// and the framer must not hold more than it promises.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSyslog(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard let first = input.first else { return 0 }
    let receivedAt: Int64 = 1_700_000_000_000_000_000
    check(input, receivedAt: receivedAt)

    let stream = UnsafeRawBufferPointer(rebasing: input[1...])
    let maxMessageBytes = 64 + Int(first & 0x3F) * 16
    let piece = Int(first >> 6) * 7 + 1
    var framer = SyslogFramer(maxMessageBytes: maxMessageBytes)
    var offset = 0
    do {
        while offset < stream.count {
            let end = min(stream.count, offset + piece)
            framer.append(UnsafeRawBufferPointer(rebasing: stream[offset..<end]))
            offset = end
            while let frame = try framer.next() {
                precondition(frame.bytes.count <= maxMessageBytes, "frame of \(frame.bytes.count) bytes over \(maxMessageBytes)")
                frame.bytes.withUnsafeBytes { check($0, receivedAt: receivedAt) }
            }
            precondition(framer.bufferedByteCount <= maxMessageBytes + 10 + piece, "framer holds \(framer.bufferedByteCount) bytes")
        }
        while let frame = try framer.finish() {
            frame.bytes.withUnsafeBytes { check($0, receivedAt: receivedAt) }
        }
    } catch {
        _ = error.description
    }
    return 0
}

private func check(_ bytes: UnsafeRawBufferPointer, receivedAt: Int64) {
    for offset in [0, -5 * 3600, 14 * 3600] {
        let message = SyslogParser.parse(bytes, receivedAt: receivedAt, rfc3164TimeZoneOffsetSeconds: offset)
        precondition(message.messageRange.lowerBound >= 0 && message.messageRange.upperBound <= bytes.count,
                     "message range \(message.messageRange) outside \(bytes.count) bytes")
        _ = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[message.messageRange]), as: UTF8.self)
    }
}

/// The executable's entry point (see `LibFuzzer.run`).
@_cdecl("fuzz_syslog_main")
public func fuzzSyslogMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    LibFuzzer.run(argc, argv, fuzzSyslog)
}
