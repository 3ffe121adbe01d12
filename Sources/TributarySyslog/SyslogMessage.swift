/// One parsed syslog message.
///
/// Parsing never fails. Real senders are too varied, so refusing a message
/// would lose a log line. Input that is neither RFC 5424 nor RFC 3164 (nor a
/// variant of it) comes back as format `.raw`, and its text is still there
/// through `messageRange`.
///
/// The message text is a byte range, not a `String`, on purpose. The caller
/// already holds the bytes and usually copies MSG straight into its own
/// buffer, so building a `String` per message would cost an allocation and a
/// UTF-8 validation pass for nothing.
public struct SyslogMessage: Sendable, Equatable {
    /// Which grammar the header was read with.
    public enum Format: String, Sendable, CaseIterable {
        /// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]`.
        case rfc5424
        /// `<PRI>` followed by the BSD header, one of its real-world
        /// variants, or no header at all.
        case rfc3164
        /// No valid `<PRI>`, or an RFC 5424 header that is malformed.
        /// `messageRange` covers the whole input.
        case raw
    }

    public var format: Format
    /// 0...23, nil when there is no valid `<PRI>`.
    public var facility: UInt8?
    /// 0...7, nil when there is no valid `<PRI>`.
    public var severity: UInt8?
    /// Nanoseconds since the Unix epoch (UTC). Nil when the header has no
    /// timestamp (`-` or none at all) or has one that cannot be read, such
    /// as month 13 or a year Int64 nanoseconds cannot hold.
    public var timestamp: Int64?
    /// Nil when absent or `-`.
    public var hostname: String?
    /// RFC 5424 APP-NAME, or in RFC 3164 the TAG before `[pid]` or `:`.
    /// Nil when absent or `-`.
    public var appName: String?
    /// RFC 5424 PROCID, or in RFC 3164 the `pid` of `TAG[pid]:`.
    public var procID: String?
    /// RFC 5424 MSGID; RFC 3164 has none.
    public var msgID: String?
    /// RFC 5424 STRUCTURED-DATA in the order sent; empty otherwise.
    public var structuredData: [SyslogStructuredElement]
    /// Byte offsets of MSG within the input passed to `SyslogParser.parse`.
    /// These exclude a leading UTF-8 BOM in RFC 5424 and any trailing
    /// CR/LF/NUL. For `.raw` the range is the whole input minus the trailing
    /// CR/LF/NUL. The range is always inside the input and may be empty.
    public var messageRange: Range<Int>

    public init(
        format: Format,
        facility: UInt8? = nil,
        severity: UInt8? = nil,
        timestamp: Int64? = nil,
        hostname: String? = nil,
        appName: String? = nil,
        procID: String? = nil,
        msgID: String? = nil,
        structuredData: [SyslogStructuredElement] = [],
        messageRange: Range<Int>
    ) {
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
