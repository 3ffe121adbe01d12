/// One RFC 5424 SD-ELEMENT: `[id name="value" ...]`.
///
/// The parameters stay in an array, in the order sent, rather than a
/// dictionary. RFC 5424 allows a name to repeat within an element
/// (section 6.3.3), and the order is worth keeping when the element is
/// shown to a person.
public struct SyslogStructuredElement: Sendable, Equatable {
    /// The SD-ID, e.g. `timeQuality` or `exampleSDID@32473`.
    public var id: String
    public var parameters: [SyslogParameter]

    public init(id: String, parameters: [SyslogParameter]) {
        self.id = id
        self.parameters = parameters
    }
}
