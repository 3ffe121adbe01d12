/// One parsed syslog message. Parsing never fails: input that is neither
/// RFC 5424 nor RFC 3164 is `.raw`, its whole text the message.
public struct SyslogMessage: Sendable, Equatable {
    public enum Format: String, Sendable {
        case rfc5424
        case rfc3164
        case raw
    }

    public var format: Format
    /// 0…23, nil without a valid `<PRI>`.
    public var facility: UInt8?
    /// 0…7, nil without a valid `<PRI>`.
    public var severity: UInt8?
    /// Nanoseconds since the Unix epoch (UTC); nil when absent or unreadable.
    public var timestamp: Int64?
    public var hostname: String?
    /// RFC 5424 APP-NAME, or the RFC 3164 tag before `[pid]` or `:`.
    public var appName: String?
    public var procID: String?
    public var msgID: String?
    public var structuredData: [SyslogStructuredElement]
    /// Where MSG is in the parsed bytes (without a UTF-8 BOM, trailing CR,
    /// LF or NUL).
    public var messageRange: Range<Int>

    public init(format: Format, facility: UInt8? = nil, severity: UInt8? = nil, timestamp: Int64? = nil, hostname: String? = nil,
                appName: String? = nil, procID: String? = nil, msgID: String? = nil,
                structuredData: [SyslogStructuredElement] = [], messageRange: Range<Int>) {
        self.format = format
        self.facility = facility
        self.severity = severity
        self.timestamp = timestamp
        self.hostname = hostname
        self.appName = appName
        self.procID = procID
        self.msgID = msgID
        self.structuredData = structuredData
        self.messageRange = messageRange
    }
}

/// An RFC 5424 SD-ELEMENT: `[id name="value" …]`.
public struct SyslogStructuredElement: Sendable, Equatable {
    public var id: String
    public var parameters: [SyslogParameter]

    public init(id: String, parameters: [SyslogParameter]) {
        self.id = id
        self.parameters = parameters
    }
}

public struct SyslogParameter: Sendable, Equatable {
    public var name: String
    /// Unescaped (`\\"`, `\\\\`, `\\]`).
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
