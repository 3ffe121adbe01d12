import NIOCore
import TributaryModel
import TributarySyslog

/// Turns a parsed syslog message into a log record: `host` is the
/// message's hostname or, for devices that send none, the sender's address;
/// `app` the APP-NAME or tag; facility, procid, msgid and structured data
/// become fields (`<sd-id>.<name>`); the sender's address is always the
/// `source` field.
struct SyslogRecordBuilder {
    let input: String
    let labels: Labels
    let processor: LineProcessor
    let metrics: AgentMetrics
    let timeZone: SyslogTimeZone
    /// The zone's offset, looked up again at most once a minute of receive time.
    private var offset: (seconds: Int, until: Int64) = (0, .min)
    private var cache: [String: Labels] = [:]
    /// Counts since the last `flushCounters()`: metrics take a lock, so
    /// handlers add them up per read rather than per message.
    private var sources: [String: Int] = [:]
    private var formats: [SyslogMessage.Format: Int] = [:]

    init(input: String, labels: Labels, processor: LineProcessor, metrics: AgentMetrics, timeZone: SyslogTimeZone) {
        self.input = input
        self.labels = labels
        self.processor = processor
        self.metrics = metrics
        self.timeZone = timeZone
    }

    static let facilities = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
                             "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5",
                             "local6", "local7"]

    /// The record, or nil if a keep/drop rule filtered it.
    mutating func record(_ bytes: UnsafeRawBufferPointer, source: String, receivedAt: Int64, part: Int?) -> Record? {
        if receivedAt >= offset.until || receivedAt < offset.until &- 60_000_000_000 {
            offset = (timeZone.offsetSeconds(at: receivedAt), receivedAt &+ 60_000_000_000)
        }
        let message = SyslogParser.parse(bytes, receivedAt: receivedAt, rfc3164TimeZoneOffsetSeconds: offset.seconds)
        sources[source, default: 0] += 1
        formats[message.format, default: 0] += 1
        let range = message.messageRange.clamped(to: 0..<bytes.count)
        let text = ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: bytes[range]))
        let severity = message.severity.flatMap { Severity(rawValue: $0) } ?? .unknown
        guard let output = processor.process(text, severity: severity) else {
            metrics.add("tributary_agent_filtered_total", input)
            return nil
        }
        var fields = output.fields
        fields.append(Field("source", source))
        if let facility = message.facility, Int(facility) < Self.facilities.count {
            fields.append(Field("facility", Self.facilities[Int(facility)]))
        }
        if let procID = message.procID { fields.append(Field("procid", procID)) }
        if let msgID = message.msgID { fields.append(Field("msgid", msgID)) }
        for element in message.structuredData.prefix(16) {
            for parameter in element.parameters.prefix(32) {
                fields.append(Field(element.id + "." + parameter.name, parameter.value.truncatedUTF8(toBytes: 65_536)))
            }
        }
        if message.format == .raw { fields.append(Field("unparsed", "true")) }
        if let part { fields.append(Field("part", String(part))) }
        let host = message.hostname ?? source
        return .log(LogRecord(timestamp: message.timestamp ?? receivedAt, severity: output.severity,
                              labels: labels(host: host, app: message.appName), message: output.message, fields: fields))
    }

    mutating func flushCounters() {
        for (source, count) in sources { metrics.add("tributary_agent_syslog_messages_total", source, count) }
        for (format, count) in formats { metrics.add("tributary_agent_syslog_format_total", format.rawValue, count) }
        sources = [:]
        formats = [:]
    }

    private mutating func labels(host: String, app: String?) -> Labels {
        let key = host + "\u{0}" + (app ?? "")
        if let cached = cache[key] { return cached }
        // Cut on a character boundary: a cut inside one used to fall back to the whole value.
        var result = (try? labels.setting("host", to: host.truncatedUTF8(toBytes: 255))) ?? labels
        if let app, !app.isEmpty, let withApp = try? result.setting("app", to: app.truncatedUTF8(toBytes: 128)) { result = withApp }
        if cache.count > 4096 { cache = [:] }
        cache[key] = result
        return result
    }
}
