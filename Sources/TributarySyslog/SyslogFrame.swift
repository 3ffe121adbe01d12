/// One message, or one piece of a message longer than the framer's limit,
/// cut from a syslog stream.
///
/// An oversized message is delivered in pieces rather than dropped or
/// buffered whole. Dropping loses data silently. Buffering whole lets one
/// sender exhaust memory. `continued` lets the consumer tell the pieces
/// belong together.
public struct SyslogFrame: Sendable, Equatable {
    /// The message bytes, without framing: no length prefix, no LF, no
    /// CR before the LF, no NUL terminator.
    public var bytes: [UInt8]
    /// True when more pieces of the same message follow; false for a whole
    /// message and for the last piece of a split one.
    public var continued: Bool

    public init(bytes: [UInt8], continued: Bool = false) {
        self.bytes = bytes
        self.continued = continued
    }
}
