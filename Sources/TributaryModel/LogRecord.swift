import NIOCore

/// One log line (or multiline event) with its stream identity.
///
/// The message is bytes, not text: logs may carry any encoding or binary
/// garbage, and Tributary keeps what it was given.
public struct LogRecord: Hashable, Sendable {
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var severity: Severity
    public var labels: Labels
    public var message: ByteBuffer
    /// Structured fields parsed from the line (JSON, logfmt, syslog SD).
    public var fields: [Field]

    public init(timestamp: Int64, severity: Severity = .unknown, labels: Labels, message: ByteBuffer, fields: [Field] = []) {
        self.timestamp = timestamp
        self.severity = severity
        self.labels = labels
        self.message = message
        self.fields = fields
    }

    public init(timestamp: Int64, severity: Severity = .unknown, labels: Labels, message: String, fields: [Field] = []) {
        self.init(timestamp: timestamp, severity: severity, labels: labels, message: ByteBuffer(string: message), fields: fields)
    }
}

/// A structured field of a log record: a name (any non-empty UTF-8) and a
/// text value. Unlike labels, fields do not identify a stream.
public struct Field: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
