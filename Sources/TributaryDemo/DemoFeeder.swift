import Foundation

/// Realistic data for the demo, produced the way it arrives in production:
/// an application appending logfmt lines to a file the agent tails, a
/// switch and a firewall sending RFC 3164 syslog over UDP and TCP, an app
/// emitting StatsD, and (from the runner) a deploy event.
final class DemoFeeder: @unchecked Sendable {
    private let layout: DemoLayout
    private var generator = SystemRandomNumberGenerator()
    private var order = 10_000
    private let udp: Int32
    private let statsd: Int32

    init(layout: DemoLayout) {
        self.layout = layout
        udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        statsd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    }

    deinit {
        close(udp)
        close(statsd)
    }

    /// One second of traffic.
    func tick(second: Int) {
        appendAppLines(second: second)
        sendSyslog(second: second)
        sendStatsD()
    }

    private static let routes = ["/api/cart", "/api/checkout", "/api/orders", "/healthz"]

    private func appendAppLines(second: Int) {
        var text = ""
        let now = ISO8601DateFormatter().string(from: Date())
        for _ in 0..<Int.random(in: 8...15, using: &generator) {
            order += 1
            let route = Self.routes.randomElement(using: &generator)!
            let latency = Int.random(in: 8...120, using: &generator)
            text += "ts=\(now) level=info msg=\"request served\" route=\(route) order=\(order) status=200 latency_ms=\(latency)\n"
        }
        if second % 3 == 0 {
            text += "ts=\(now) level=error msg=\"timeout contacting payments\" route=/api/checkout order=\(order) upstream=payments:8443 timeout_ms=2000 card=4111111111111111\n"
        }
        if second % 7 == 0 {
            text += "ts=\(now) level=warn msg=\"slow query\" table=orders duration_ms=\(Int.random(in: 800...1600, using: &generator))\n"
        }
        guard let handle = FileHandle(forWritingAtPath: layout.appLog) else { return }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }

    private func sendSyslog(second: Int) {
        let stamp = Self.bsdTimestamp(Date())
        var messages = [
            "<190>\(stamp) fw-edge-1 kernel: ACCEPT IN=eth0 OUT=eth1 SRC=198.51.100.\(second % 250 + 1) DST=192.0.2.10 PROTO=TCP SPT=5\(second % 1000) DPT=443",
        ]
        if second % 4 == 0 {
            messages.append("<187>\(second): core-sw-1: \(stamp).123: %LINK-3-UPDOWN: Interface GigabitEthernet0/\(second % 24 + 1), changed state to down")
        }
        if second % 4 == 1 {
            messages.append("<189>\(second): core-sw-1: \(stamp).456: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/\((second - 1) % 24 + 1), changed state to up")
        }
        if second % 5 == 0 {
            messages.append("<132>\(stamp) fw-edge-1 kernel: DROP IN=eth0 SRC=203.0.113.\(second % 200 + 1) DST=192.0.2.10 PROTO=TCP DPT=22")
        }
        for message in messages { send(message, on: udp, port: layout.syslogUDPPort) }
    }

    private func sendStatsD() {
        var lines: [String] = []
        for route in Self.routes.dropLast() {
            lines.append("checkout.requests:\(Int.random(in: 2...9, using: &generator))|c|#route:\(route)")
            lines.append("checkout.latency_ms:\(Int.random(in: 8...120, using: &generator))|ms|#route:\(route)")
        }
        lines.append("checkout.inflight:\(Int.random(in: 0...12, using: &generator))|g")
        send(lines.joined(separator: "\n"), on: statsd, port: layout.statsdPort)
    }

    private func send(_ text: String, on socket: Int32, port: Int) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bytes = Array(text.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                sendto(socket, bytes, bytes.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// `Dec  1 08:00:00` in UTC, as devices without a year write it.
    static func bsdTimestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMM d HH:mm:ss"
        let text = formatter.string(from: date)
        // Single-digit days are padded with a space: "Dec  1".
        let parts = text.split(separator: " ")
        return parts[1].count == 1 ? "\(parts[0])  \(parts[1]) \(parts[2])" : text
    }
}
