import Foundation

/// The zone RFC 3164 timestamps are read in: they carry none, and senders
/// use their own local time. The default is this host's zone (`TZ`, else
/// `/etc/localtime`), as rsyslog does; an input can name another one for
/// devices elsewhere (`time_zone: Europe/Berlin`, `UTC`, `+05:30`).
/// Daylight-saving changes are followed: the offset is the zone's at the
/// time the message arrives.
public struct SyslogTimeZone: Sendable, Equatable, CustomStringConvertible {
    public let timeZone: TimeZone

    public init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    public static var local: SyslogTimeZone { SyslogTimeZone(TimeZone.current) }

    /// `local`, `UTC`/`Z`, an offset (`+05:30`, `-0800`, `+2`), or an IANA
    /// name (`America/New_York`); nil for anything else.
    public static func parse(_ text: String) -> SyslogTimeZone? {
        switch text {
        case "local": return .local
        case "UTC", "utc", "Z", "GMT": return SyslogTimeZone(TimeZone(secondsFromGMT: 0)!)
        default: break
        }
        if let first = text.first, first == "+" || first == "-" {
            let digits = text.dropFirst().filter { $0 != ":" }
            guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isASCII), let number = Int(digits) else { return nil }
            let (hours, minutes) = digits.count <= 2 ? (number, 0) : (number / 100, number % 100)
            guard hours <= 14, minutes < 60, let zone = TimeZone(secondsFromGMT: (hours * 3600 + minutes * 60) * (first == "-" ? -1 : 1)) else {
                return nil
            }
            return SyslogTimeZone(zone)
        }
        guard text.contains("/"), let zone = TimeZone(identifier: text) else { return nil }
        return SyslogTimeZone(zone)
    }

    /// Seconds the zone is ahead of UTC at `nanoseconds` since the epoch.
    public func offsetSeconds(at nanoseconds: Int64) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(nanoseconds) / 1e9))
    }

    public var description: String { timeZone.identifier }
}
