import TributaryModel

/// The labels of one line while it goes through a pipeline, as Loki's
/// `LabelsBuilder`: the stream's labels, the record's fields (Loki's
/// structured metadata: readable by filters, templates and `unwrap`, but
/// not part of the output label set unless a stage copies them), and
/// what parsers and `label_format` set. Reset for each line, reusing its
/// storage; a parsed name wins over a field, a field over a stream label.
///
/// A parser that finds a key the agent already extracted as a field (the
/// agent parsed the same logfmt or JSON) sets a label of that very name,
/// not `name_extracted`: the field and the parsed value are one thing, and
/// `| logfmt` followed by `by (level)` must group by it. Only a collision
/// with a stream label takes the `_extracted` suffix, as in Loki.
struct LogLabelBuilder {
    private(set) var stream: Labels = .empty
    private var rawFields: [Field] = []
    /// `rawFields` as labels: names sanitised, `_extracted` on collision
    /// with a stream label. Made on first use in a line.
    private var fieldLabels: [Label] = []
    private var fieldsPrepared = true
    /// In the order they were set.
    private(set) var parsed: [Label] = []
    private var deleted: [String] = []
    /// Names parsers have set in this line: a later parser does not
    /// overwrite them (Loki's parser hints: the first parser wins).
    private var extracted: [String] = []
    var error = ""
    var errorDetails = ""

    mutating func reset(stream: Labels, fields: [Field]) {
        self.stream = stream
        rawFields = fields
        fieldsPrepared = fields.isEmpty
        // Most lines set nothing: skip the clearing work then.
        if !fieldLabels.isEmpty { fieldLabels.removeAll(keepingCapacity: true) }
        if !parsed.isEmpty { parsed.removeAll(keepingCapacity: true) }
        if !deleted.isEmpty { deleted.removeAll(keepingCapacity: true) }
        if !extracted.isEmpty { extracted.removeAll(keepingCapacity: true) }
        if !error.isEmpty { error = "" }
        if !errorDetails.isEmpty { errorDetails = "" }
    }

    /// Whether the output labels are the stream's labels unchanged.
    var isUnchanged: Bool { parsed.isEmpty && deleted.isEmpty && error.isEmpty && errorDetails.isEmpty }

    private mutating func prepareFields() {
        guard !fieldsPrepared else { return }
        fieldsPrepared = true
        for field in rawFields {
            var name = LogLabelNames.sanitize(field.name)
            guard !name.isEmpty else { continue }
            if stream[name] != nil { name += LogLabelNames.duplicateSuffix }
            if let index = fieldLabels.firstIndex(where: { $0.name == name }) {
                fieldLabels[index] = Label(name, field.value)
            } else {
                fieldLabels.append(Label(name, field.value))
            }
        }
    }

    /// Whether a parsed key must take the `_extracted` suffix: it names a
    /// stream label (a field of that name is replaced, see above).
    mutating func collides(_ name: String) -> Bool {
        stream[name] != nil
    }

    /// `name` with the suffix when it collides.
    mutating func parsedName(_ name: String) -> String {
        collides(name) ? name + LogLabelNames.duplicateSuffix : name
    }

    func wasExtracted(_ name: String) -> Bool { extracted.contains(name) }

    /// The value a stage sees: parsed, then fields, then stream labels (an
    /// empty stream value counts as missing, as in Loki). `__error__` and
    /// `__error_details__` are not labels here; see `value(of:)`.
    mutating func get(_ name: String) -> String? {
        for label in parsed where label.name == name { return label.value }
        prepareFields()
        for label in fieldLabels where label.name == name { return label.value }
        if deleted.contains(name) { return nil }
        if let value = stream[name], !value.isEmpty { return value }
        return nil
    }

    /// `get`, with the error labels, and "" for a missing label (what string
    /// label filters and templates compare).
    mutating func value(of name: String) -> String {
        if name == LogLabelNames.error { return error }
        if name == LogLabelNames.errorDetails { return errorDetails }
        return get(name) ?? ""
    }

    /// Sets a parsed label (it hides a field or stream label of that name).
    mutating func setParsed(_ name: String, _ value: String) {
        prepareFields()
        fieldLabels.removeAll { $0.name == name }
        if let index = parsed.firstIndex(where: { $0.name == name }) {
            parsed[index] = Label(name, value)
        } else {
            parsed.append(Label(name, value))
        }
        if !extracted.contains(name) { extracted.append(name) }
    }

    mutating func delete(_ name: String) {
        parsed.removeAll { $0.name == name }
        prepareFields()
        fieldLabels.removeAll { $0.name == name }
        if !deleted.contains(name) { deleted.append(name) }
    }

    mutating func setError(_ kind: String, details: String?) {
        error = kind
        if let details { errorDetails = details }
    }

    /// Every visible label (stream, fields, parsed, error labels) with its
    /// value, for templates: `.name` of a missing label is "".
    mutating func forEachVisible(_ body: (String, String) -> Void) {
        prepareFields()
        for label in stream where !deleted.contains(label.name) && !label.value.isEmpty {
            if parsed.contains(where: { $0.name == label.name }) || fieldLabels.contains(where: { $0.name == label.name }) { continue }
            body(label.name, label.value)
        }
        for label in fieldLabels { body(label.name, label.value) }
        for label in parsed { body(label.name, label.value) }
        if !error.isEmpty { body(LogLabelNames.error, error) }
        if !errorDetails.isEmpty { body(LogLabelNames.errorDetails, errorDetails) }
    }

    /// The names of every output label (stream, parsed), for `keep`.
    func outputNames() -> [String] {
        var names: [String] = []
        for label in stream where !deleted.contains(label.name) && !parsed.contains(where: { $0.name == label.name }) {
            names.append(label.name)
        }
        for label in parsed { names.append(label.name) }
        return names
    }

    /// The line's label set: the stream's labels (less deleted ones, with
    /// parsed values replacing them), parsed labels with a value, and the
    /// error labels when set. Fields are not included (see the type's comment).
    func outputLabels() -> Labels {
        if isUnchanged { return stream }
        var pairs: [Label] = []
        pairs.reserveCapacity(stream.count + parsed.count + 2)
        for label in stream where !deleted.contains(label.name) && !parsed.contains(where: { $0.name == label.name }) {
            pairs.append(label)
        }
        // An empty value is no label, as in Prometheus.
        for label in parsed where !label.value.isEmpty {
            pairs.append(label)
        }
        if !error.isEmpty { pairs.append(Label(LogLabelNames.error, error)) }
        if !errorDetails.isEmpty { pairs.append(Label(LogLabelNames.errorDetails, errorDetails)) }
        pairs.sort { $0.name < $1.name }
        return Labels(sortedUnchecked: pairs)
    }

    /// The label set for an unwrapped range aggregation's `by`/`without`
    /// (Loki's `GroupedLabels`): with an error the whole set, so that the
    /// error is reported, not grouped away. `by` may name fields.
    mutating func groupedLabels(_ names: [String], without: Bool) -> Labels {
        if !error.isEmpty { return outputLabels() }
        if without {
            let all = outputLabels()
            return Labels(sortedUnchecked: all.pairs.filter { !names.contains($0.name) })
        }
        var pairs: [Label] = []
        for name in names {
            if let value = get(name), !value.isEmpty, !pairs.contains(where: { $0.name == name }) { pairs.append(Label(name, value)) }
        }
        pairs.sort { $0.name < $1.name }
        return Labels(sortedUnchecked: pairs)
    }
}
