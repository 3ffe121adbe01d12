import NIOCore

/// A deploy, configuration change or incident marker posted by a pipeline or
/// an operator, stored beside logs so anomalies can be explained by it.
public struct ChangeEvent: Hashable, Sendable {
    /// What happened: `deploy`, `config`, `incident`, … (free text).
    public var type: String
    public var labels: Labels
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var message: ByteBuffer

    public init(type: String, labels: Labels, timestamp: Int64, message: ByteBuffer) {
        self.type = type
        self.labels = labels
        self.timestamp = timestamp
        self.message = message
    }

    public init(type: String, labels: Labels, timestamp: Int64, message: String) {
        self.init(type: type, labels: labels, timestamp: timestamp, message: ByteBuffer(string: message))
    }
}
