import TributaryModel

/// One stored log record as a `LogLineSource` hands it over, without
/// copying the line: `line` points into the source's decoded block and is
/// valid only during the `visit` call that receives it.
public struct LogRecordView {
    /// Nanoseconds since the epoch.
    public var timestamp: Int64
    /// The stream's labels. Handing the same `Labels` value for every line
    /// of a stream (not a fresh copy per line) lets consumers compare
    /// streams in O(1).
    public var stream: Labels
    /// The fields the agent extracted (json/logfmt); empty when none.
    public var fields: [Field]
    /// The line's bytes.
    public var line: UnsafeRawBufferPointer

    public init(timestamp: Int64, stream: Labels, fields: [Field] = [], line: UnsafeRawBufferPointer) {
        self.timestamp = timestamp
        self.stream = stream
        self.fields = fields
        self.line = line
    }
}
