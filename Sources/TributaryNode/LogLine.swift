import NIOCore
import TributaryModel

/// One log line or change event in a query result.
public struct LogLine: Sendable {
    public let timestamp: Int64
    public let labels: Labels
    public let severity: Severity?
    /// Set for change events.
    public let eventType: String?
    public let message: ByteBuffer
    /// Fields an agent parsed or added (syslog facility, `part`, …).
    public let fields: [Field]

    init(timestamp: Int64, labels: Labels, severity: Severity?, eventType: String?, message: ByteBuffer, fields: [Field]) {
        self.timestamp = timestamp
        self.labels = labels
        self.severity = severity
        self.eventType = eventType
        self.message = message
        self.fields = fields
    }

    init?(_ record: Record) {
        switch record {
        case .log(let log):
            self.timestamp = log.timestamp
            self.labels = log.labels
            self.severity = log.severity
            self.eventType = nil
            self.message = log.message
            self.fields = log.fields
        case .event(let event):
            self.timestamp = event.timestamp
            self.labels = event.labels
            self.severity = nil
            self.eventType = event.type
            self.message = event.message
            self.fields = []
        case .metric:
            return nil
        }
    }
}
