/// A stream's identity: label pairs sorted by name, names unique and valid.
///
/// The invariant (sorted, unique, valid names) holds for every value, so two
/// equal label sets always compare, hash and encode identically.
public struct Labels: Hashable, Sendable, RandomAccessCollection, CustomStringConvertible {
    public private(set) var pairs: [Label]

    public static let empty = Labels(sortedUnchecked: [])

    /// Creates a label set from pairs in any order.
    /// Throws if a name is invalid or appears twice.
    public init(_ pairs: [Label]) throws(LabelError) {
        for label in pairs where !Label.isValidName(label.name) {
            throw .invalidName(label.name)
        }
        let sorted = pairs.sorted { $0.name < $1.name }
        for index in sorted.indices.dropFirst() where sorted[index].name == sorted[index - 1].name {
            throw .duplicateName(sorted[index].name)
        }
        self.pairs = sorted
    }

    /// Creates a label set from a dictionary (which cannot hold duplicates).
    public init(_ dictionary: [String: String]) throws(LabelError) {
        try self.init(dictionary.map { Label($0.key, $0.value) })
    }

    /// For decoders that have already checked the invariant.
    package init(sortedUnchecked pairs: [Label]) {
        self.pairs = pairs
    }

    public var startIndex: Int { pairs.startIndex }
    public var endIndex: Int { pairs.endIndex }
    public subscript(position: Int) -> Label { pairs[position] }

    /// The value of the label called `name`, if present.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Returns a copy with `label` added, replacing a label of the same name.
    public func setting(_ name: String, to value: String) throws(LabelError) -> Labels {
        guard Label.isValidName(name) else { throw .invalidName(name) }
        var copy = pairs.filter { $0.name != name }
        let insertAt = copy.firstIndex { $0.name > name } ?? copy.endIndex
        copy.insert(Label(name, value), at: insertAt)
        return Labels(sortedUnchecked: copy)
    }

    /// `{host="web-1", source="syslog"}`, the form queries use.
    public var description: String {
        "{" + pairs.map(\.description).joined(separator: ", ") + "}"
    }
}

/// Why a set of labels is not valid.
public enum LabelError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidName(String)
    case duplicateName(String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "invalid label name \"\(name)\": names must match [A-Za-z_][A-Za-z0-9_]*"
        case .duplicateName(let name):
            return "label \"\(name)\" appears more than once"
        }
    }
}
