/// Why an octet-counted (RFC 6587 section 3.4.1) syslog stream cannot be
/// framed.
///
/// Both cases are fatal for the connection. Once a length is wrong there is
/// no reliable way to find where the next message starts, and guessing
/// would turn one bad frame into many wrong messages. Non-transparent
/// streams never fail: any byte sequence splits into lines.
public enum SyslogFramingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The length header was not digits followed by a space, started with 0,
    /// or had more than 10 digits. The associated text is the start of what
    /// was found, at most 16 bytes, with invalid UTF-8 repaired.
    case badLength(String)
    /// The stream ended inside an octet-counted frame; at least `missing`
    /// more bytes were needed.
    case truncated(missing: Int)

    public var description: String {
        switch self {
        case .badLength(let text):
            return "bad RFC 6587 octet count \(String(reflecting: text)): expected 1 to 10 digits, no leading zero, then a space"
        case .truncated(let missing):
            return "the stream ended inside an octet-counted syslog message, at least \(missing) bytes short"
        }
    }
}
