import TributaryTLS

/// A `type: syslog` input: any of UDP, TCP and TLS listeners.
public struct SyslogInputSettings: Sendable {
    public var udp: (host: String, port: Int)?
    public var tcp: (host: String, port: Int)?
    public var tls: (host: String, port: Int)?
    public var tlsConfiguration: TLSConfiguration?
    /// Longer messages are delivered in parts with a `part` field.
    public var maxMessageBytes = 64 << 10
    /// RFC 3164 timestamps carry no zone: the one the devices use
    /// (default: this host's, as rsyslog).
    public var rfc3164TimeZone = SyslogTimeZone.local
    /// Most TCP/TLS connections at once; more are refused.
    public var maxConnections = 1024

    public init() {}
}
