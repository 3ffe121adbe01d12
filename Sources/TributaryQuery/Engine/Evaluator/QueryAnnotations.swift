/// Warnings and informational notes about a query that did evaluate, worded
/// as Prometheus words them (`PromQL info: metric might not be a counter, …`)
/// but without the `(line:column)` position Prometheus appends: the
/// expression tree keeps no positions.
public struct QueryAnnotations: Sendable, Equatable {
    public var warnings: [String] = []
    public var infos: [String] = []

    public init(warnings: [String] = [], infos: [String] = []) {
        self.warnings = warnings
        self.infos = infos
    }

    public var isEmpty: Bool { warnings.isEmpty && infos.isEmpty }

    mutating func warn(_ message: String) {
        let text = "PromQL warning: " + message
        if !warnings.contains(text) { warnings.append(text) }
    }

    mutating func info(_ message: String) {
        let text = "PromQL info: " + message
        if !infos.contains(text) { infos.append(text) }
    }
}
