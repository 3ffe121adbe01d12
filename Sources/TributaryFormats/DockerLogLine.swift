/// One line of Docker's json-file log driver:
/// `{"log":"text\n","stream":"stdout","time":"2026-11-22T10:00:00.123456789Z"}`.
/// `log` loses its one trailing newline; a piece without it is a line
/// Docker split at 16 KiB (`partial`).
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
        guard let pairs = JSONLineParser.parse(bytes) else { return nil }
        var log: String?
        var stream = "stdout"
        var time: String?
        for pair in pairs {
            switch pair.key {
            case "log": log = pair.value
            case "stream": stream = pair.value
            case "time": time = pair.value
            default: break
            }
        }
        guard var text = log else { return nil }
        let partial = !text.hasSuffix("\n")
        if !partial { text.removeLast() }
        return DockerLogLine(log: text, stream: stream, timestamp: time.flatMap(RFC3339.nanoseconds), partial: partial)
    }

    public static func parse(_ text: String) -> DockerLogLine? {
        var copy = text
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }
}

/// RFC 3339 timestamps (`2026-11-22T10:00:00.123456789Z`, `…+01:00`) to
/// nanoseconds since the epoch, without Foundation.
enum RFC3339 {
    static func nanoseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        guard bytes.count >= 20, let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        var index = 19
        var fraction: Int64 = 0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if digits < 9 { fraction = fraction * 10 + Int64(bytes[index] - 0x30) }
                digits += 1
                index += 1
            }
            if digits < 9 { for _ in digits..<9 { fraction *= 10 } }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
            guard let hours = number((index + 1)..<(index + 3)), let minutes = number((index + 4)..<(index + 6)) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == 0x2D ? -1 : 1)
        }
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let days = era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
        return Int64(days * 86_400 + hour * 3600 + minute * 60 + second - offset) * 1_000_000_000 + fraction
    }
}
