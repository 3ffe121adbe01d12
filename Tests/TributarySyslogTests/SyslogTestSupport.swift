import TributarySyslog

/// Shared fixtures for the syslog tests. Expected instants are written as
/// literals computed independently (Python's `datetime`), not with the
/// code under test.
enum SyslogTestSupport {
    /// 2026-11-22T10:00:00Z, the default arrival time.
    static let received: Int64 = 1_795_341_600_000_000_000
    static let second: Int64 = 1_000_000_000

    /// Parses `text` and also returns MSG as text, so tests can compare both.
    static func parse(_ text: String, received: Int64 = received, offset: Int = 0) -> (SyslogMessage, String) {
        parse(Array(text.utf8), received: received, offset: offset)
    }

    static func parse(_ bytes: [UInt8], received: Int64 = received, offset: Int = 0) -> (SyslogMessage, String) {
        let message = SyslogParser.parse(bytes, receivedAt: received, rfc3164TimeZoneOffsetSeconds: offset)
        return (message, String(decoding: bytes[message.messageRange], as: UTF8.self))
    }

    /// Frames a stream delivered in the given chunks, draining after each
    /// chunk as a connection handler does, then finishing.
    static func frames(_ chunks: [[UInt8]], max: Int = 1024) throws(SyslogFramingError) -> [SyslogFrame] {
        var framer = SyslogFramer(maxMessageBytes: max)
        var frames: [SyslogFrame] = []
        for chunk in chunks {
            framer.append(chunk)
            while let frame = try framer.next() { frames.append(frame) }
        }
        while let frame = try framer.finish() { frames.append(frame) }
        return frames
    }

    static func texts(_ frames: [SyslogFrame]) -> [String] {
        frames.map { String(decoding: $0.bytes, as: UTF8.self) }
    }
}
