/// What an alert's templates see: the series' labels (`$labels`), its
/// value at the evaluation (`$value`) and the node's external labels
/// (`$externalLabels`).
public struct TemplateData: Sendable, Equatable {
    public var labels: [String: String]
    public var value: Double
    public var externalLabels: [String: String]

    public init(labels: [String: String], value: Double, externalLabels: [String: String] = [:]) {
        self.labels = labels
        self.value = value
        self.externalLabels = externalLabels
    }
}
