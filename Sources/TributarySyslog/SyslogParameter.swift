/// One SD-PARAM of an RFC 5424 structured-data element: `name="value"`.
public struct SyslogParameter: Sendable, Equatable {
    public var name: String
    /// The value with the three RFC 5424 escapes (`\"`, `\\`, `\]`) already
    /// removed, so consumers never see wire syntax. A backslash before any
    /// other character is kept as is, as section 6.3.3 requires.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
