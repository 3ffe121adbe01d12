import TributaryModel

/// Label-set edits the evaluator makes on every series it touches; each
/// keeps the pairs sorted, so no re-sorting or re-validation is needed.
extension Labels {
    static let metricName = "__name__"

    var metricName: String? { self[Labels.metricName] }

    /// Without `__name__` (Prometheus also drops `__type__` and `__unit__`).
    var droppingMetricName: Labels {
        guard pairs.contains(where: { $0.name.hasPrefix("__") && Labels.isReservedMetadata($0.name) }) else { return self }
        return Labels(sortedUnchecked: pairs.filter { !Labels.isReservedMetadata($0.name) })
    }

    static func isReservedMetadata(_ name: String) -> Bool {
        name == "__name__" || name == "__type__" || name == "__unit__"
    }

    func keeping(_ names: [String]) -> Labels {
        Labels(sortedUnchecked: pairs.filter { names.contains($0.name) })
    }

    func removing(_ names: [String]) -> Labels {
        Labels(sortedUnchecked: pairs.filter { !names.contains($0.name) })
    }

    /// `name` set to `value`; an empty value removes the label, as in Prometheus.
    func setting(unchecked name: String, _ value: String) -> Labels {
        var copy = pairs.filter { $0.name != name }
        if !value.isEmpty {
            let index = copy.firstIndex { $0.name > name } ?? copy.endIndex
            copy.insert(Label(name, value), at: index)
        }
        return Labels(sortedUnchecked: copy)
    }

    /// Prometheus' `labels.Compare`: pair by pair, name then value; a
    /// prefix sorts first.
    static func compare(_ lhs: Labels, _ rhs: Labels) -> Int {
        let count = Swift.min(lhs.pairs.count, rhs.pairs.count)
        for index in 0..<count {
            let left = lhs.pairs[index], right = rhs.pairs[index]
            if left.name != right.name { return left.name < right.name ? -1 : 1 }
            if left.value != right.value { return left.value < right.value ? -1 : 1 }
        }
        return lhs.pairs.count - rhs.pairs.count
    }

    /// `{a="1", b="2"}` as Prometheus prints label sets in error messages.
    var promString: String {
        "{" + pairs.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ") + "}"
    }

    /// The signature of the labels named (`on`) or not named (`ignoring`,
    /// which also ignores the metric name): equal signatures match.
    func signature(on: Bool, names: [String]) -> String {
        var key = ""
        for pair in pairs {
            let listed = names.contains(pair.name)
            if on ? listed : (!listed && pair.name != Labels.metricName) {
                key += pair.name
                key += "\u{ff}"
                key += pair.value
                key += "\u{fe}"
            }
        }
        return key
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
