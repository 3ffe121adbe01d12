/// How the two sides of a binary operator between vectors are paired.
public struct VectorMatching: Sendable, Equatable {
    public enum Cardinality: Sendable, Equatable {
        case oneToOne, manyToOne, oneToMany, manyToMany
    }

    public var cardinality: Cardinality
    /// True for `on (…)`, false for `ignoring (…)` (or neither written).
    public var on: Bool
    /// The labels in `on (…)` / `ignoring (…)`.
    public var labels: [String]
    /// The labels in `group_left (…)` / `group_right (…)`, copied from the
    /// "one" side.
    public var include: [String]

    public init(cardinality: Cardinality, on: Bool, labels: [String], include: [String] = []) {
        self.cardinality = cardinality
        self.on = on
        self.labels = labels
        self.include = include
    }
}
