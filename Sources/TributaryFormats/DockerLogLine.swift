/// One line of Docker's json-file log driver:
/// `{"log":"text\n","stream":"stdout","time":"2026-11-22T10:00:00.123456789Z"}`.
///
/// `log` loses its one trailing `\n` (a `\r` before it stays: the program
/// wrote it). Docker splits lines longer than 16 KiB into pieces of which
/// only the last ends in `\n`, so a piece without it is `partial` and the
/// reader joins it with what follows. `time` becomes nanoseconds since the
/// epoch (nil when absent or not RFC 3339); `stream` is "stdout" when
/// absent. Other keys (`attrs` from `--log-opt labels`) are ignored.
/// nil when the line is not one JSON object or has no string `log`.
public struct DockerLogLine: Sendable, Equatable {
    public var log: String
    public var stream: String
    public var timestamp: Int64?
    public var partial: Bool

    public init(log: String, stream: String, timestamp: Int64?, partial: Bool) {
        self.log = log
        self.stream = stream
        self.timestamp = timestamp
        self.partial = partial
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> DockerLogLine? {
        var reader = JSONReader(bytes)
        var log: String?
        var stream: String?
        var time: String?
        let valid = reader.document { key, value, leaf in
            guard leaf == .string else { return }
            switch key {
            case "log": log = value
            case "stream": stream = value
            case "time": time = value
            default: break
            }
        }
        guard valid, let log else { return nil }
        // Bytes, not Characters: "\r\n" is one Character in Swift.
        let partial = log.utf8.last != 0x0A
        return DockerLogLine(log: partial ? log : String(decoding: log.utf8.dropLast(), as: UTF8.self),
                             stream: stream ?? "stdout",
                             timestamp: time.flatMap(RFC3339.nanoseconds),
                             partial: partial)
    }

    public static func parse(_ text: String) -> DockerLogLine? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }
}
