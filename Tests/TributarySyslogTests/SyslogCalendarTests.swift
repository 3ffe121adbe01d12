import Foundation
import Testing
import TributarySyslog

/// The parser's hand-written calendar arithmetic, checked against
/// Foundation's Gregorian calendar as an independent oracle on random dates
/// across the whole range Int64 nanoseconds can hold.
@Suite("Calendar arithmetic")
struct SyslogCalendarTests {
    @Test func randomRFC3339InstantsMatchFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        var random = SeededRandom(seed: 0x5EED_CA1E)
        for _ in 0..<3000 {
            let year = random.int(1678...2261)
            let month = random.int(1...12)
            let day = random.int(1...28) + (month == 2 ? 0 : random.int(0...2))
            let hour = random.int(0...23), minute = random.int(0...59), second = random.int(0...59)
            let nanos = random.int(0...999_999_999)
            let offsetMinutes = random.int(-14 * 60...14 * 60)
            let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            guard let date = calendar.date(from: components) else {
                Issue.record("Foundation rejected \(components)")
                continue
            }
            let expected = Int64(date.timeIntervalSince1970.rounded()) * 1_000_000_000 + Int64(nanos)
                - Int64(offsetMinutes) * 60 * 1_000_000_000
            let sign = offsetMinutes < 0 ? "-" : "+"
            let text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
                + ".\(pad(nanos, 9))\(sign)\(pad(abs(offsetMinutes) / 60, 2)):\(pad(abs(offsetMinutes) % 60, 2))"
            let message = SyslogParser.parse(Array("<13>1 \(text) h a - - - x".utf8), receivedAt: 0)
            #expect(message.timestamp == expected, "\(text)")
        }
    }

    @Test func randomBSDInstantsMatchFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var random = SeededRandom(seed: 0xB5D)
        for _ in 0..<2000 {
            let year = random.int(1971...2200)
            let month = random.int(1...12)
            let day = random.int(1...28)
            let hour = random.int(0...23), minute = random.int(0...59), second = random.int(0...59)
            let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            guard let date = calendar.date(from: components) else { continue }
            let expected = Int64(date.timeIntervalSince1970.rounded()) * 1_000_000_000
            // Received up to 300 days after the message: the year must come out right.
            let received = expected + Int64(random.int(0...300 * 86_400)) * 1_000_000_000
            let dayText = day < 10 ? " \(day)" : "\(day)"
            let text = "<13>\(months[month - 1]) \(dayText) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)) host app: x"
            let message = SyslogParser.parse(Array(text.utf8), receivedAt: received)
            #expect(message.timestamp == expected, "\(text) received \(received)")
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
