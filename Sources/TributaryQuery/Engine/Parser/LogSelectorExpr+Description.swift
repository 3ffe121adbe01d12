/// Canonical LogQL text, read back by `QueryExpr.parse` to an equal tree.
extension LogSelectorExpr: CustomStringConvertible {
    public var description: String {
        var text = "{" + matchers.map(\.queryText).joined(separator: ", ") + "}"
        for stage in stages { text += " " + stage.description }
        return text
    }
}

extension LogStage: CustomStringConvertible {
    public var description: String {
        switch self {
        case .lineFilter(let filter): return filter.op.rawValue + " " + QueryTextFormat.quoted(filter.value)
        case .json(let extractions): return "| json" + Self.extractionList(extractions)
        case .logfmt(let options):
            return "| logfmt" + (options.strict ? " --strict" : "") + (options.keepEmpty ? " --keep-empty" : "") + Self.extractionList(options.extractions)
        case .regexp(let pattern): return "| regexp " + QueryTextFormat.quoted(pattern)
        case .pattern(let pattern): return "| pattern " + QueryTextFormat.quoted(pattern)
        case .unpack: return "| unpack"
        case .labelFilter(let filter): return "| " + filter.description
        case .lineFormat(let template): return "| line_format " + QueryTextFormat.quoted(template)
        case .labelFormat(let items):
            return "| label_format " + items.map { item in
                switch item {
                case .rename(let to, let from): return to + "=" + from
                case .template(let to, let template): return to + "=" + QueryTextFormat.quoted(template)
                }
            }.joined(separator: ", ")
        case .drop(let selections): return "| drop " + selections.map(Self.selectionText).joined(separator: ", ")
        case .keep(let selections): return "| keep " + selections.map(Self.selectionText).joined(separator: ", ")
        case .decolorize: return "| decolorize"
        }
    }

    private static func extractionList(_ extractions: [LogExtraction]) -> String {
        extractions.isEmpty ? "" : " " + extractions.map { $0.label + "=" + QueryTextFormat.quoted($0.path) }.joined(separator: ", ")
    }

    private static func selectionText(_ selection: LabelSelection) -> String {
        selection.matcher?.queryText ?? selection.name
    }
}

extension LabelFilterExpr: CustomStringConvertible {
    public var description: String {
        switch self {
        case .matcher(let matcher): return matcher.queryText
        case .number(let name, let op, let value): return "\(name) \(op.rawValue) \(QueryTextFormat.number(value))"
        case .duration(let name, let op, let value): return "\(name) \(op.rawValue) \(DurationText.goText(value))"
        case .bytes(let name, let op, let value): return "\(name) \(op.rawValue) \(ByteSizeText.text(value))"
        case .and(let lhs, let rhs): return Self.operand(lhs, needs: 2) + " and " + Self.operand(rhs, needs: 3)
        case .or(let lhs, let rhs): return Self.operand(lhs, needs: 1) + " or " + Self.operand(rhs, needs: 2)
        }
    }

    private var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        default: return 3
        }
    }

    private static func operand(_ filter: LabelFilterExpr, needs minimum: Int) -> String {
        filter.precedence < minimum ? "(" + filter.description + ")" : filter.description
    }
}

extension LogRangeExpr: CustomStringConvertible {
    public var description: String {
        var text = function.rawValue + "("
        if let parameter { text += QueryTextFormat.number(parameter) + ", " }
        text += selector.description
        if let unwrap {
            text += " | unwrap " + (unwrap.conversion == .none ? unwrap.label : unwrap.conversion.rawValue + "(" + unwrap.label + ")")
            for filter in unwrap.filters { text += " | " + filter.description }
        }
        text += " [" + DurationText.prometheusText(range) + "]"
        if offset != 0 { text += " offset " + DurationText.prometheusText(offset) }
        text += ")"
        if let grouping { text += (without ? " without " : " by ") + AggregateExpr.labelList(grouping) }
        return text
    }
}
