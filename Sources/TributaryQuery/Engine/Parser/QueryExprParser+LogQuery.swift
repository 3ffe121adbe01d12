/// LogQL log queries: a stream selector and the pipeline after it.
extension QueryExprParser {
    static let emptyStreamSelectorMessage = "queries require at least one regexp or equality matcher that does not have an empty-compatible value. "
        + "For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will"

    /// Stage keywords after `|`; a label filter may still use one of these
    /// names when a comparison follows it (`| json="x"` is a filter).
    static let stageKeywords: Set<String> = ["json", "logfmt", "regexp", "pattern", "unpack", "line_format", "label_format",
                                             "drop", "keep", "decolorize", "unwrap"]

    mutating func parseLogQuery() throws(QueryError) -> ParsedExpr {
        let start = current.position
        var selector = try parseStreamSelector()
        while try parseLogStage(into: &selector) {}
        return ParsedExpr(expr: .logs(selector), start: start, type: .logs, depth: 1)
    }

    /// `{app="api", env!="dev"}`: at least one matcher that does not match "".
    mutating func parseStreamSelector() throws(QueryError) -> LogSelectorExpr {
        let start = current.position
        let matchers = try parseMatchers(quotedNames: false)
        guard matchers.contains(where: { !Self.matchesEmpty($0) }) else {
            throw QueryError(position: start, message: Self.emptyStreamSelectorMessage)
        }
        return LogSelectorExpr(matchers: matchers)
    }

    /// Whether the current token starts a pipeline stage other than `| unwrap`.
    var atLogStage: Bool {
        switch current.kind {
        case .symbol("|="), .symbol("!="), .symbol("|~"), .symbol("!~"), .symbol("|>"), .symbol("!>"): return true
        case .symbol("|"): return !(peek().isKeyword("unwrap") && !isComparison(peek(2)))
        default: return false
        }
    }

    func isComparison(_ token: QueryExprToken) -> Bool {
        guard case .symbol(let symbol) = token.kind else { return false }
        return ["=", "!=", "=~", "!~", "==", ">", ">=", "<", "<="].contains(symbol)
    }

    /// Reads one stage into `selector`; false when none follows.
    mutating func parseLogStage(into selector: inout LogSelectorExpr) throws(QueryError) -> Bool {
        guard atLogStage else {
            if current.isSymbol("|"), peek().isKeyword("unwrap") {
                throw QueryError(position: current.position, message: "| unwrap is only allowed inside a range aggregation such as sum_over_time({…} | unwrap latency [5m])")
            }
            return false
        }
        let token = advance()
        guard case .symbol(let symbol) = token.kind else { return false }
        if let op = LineFilter.Operator(rawValue: symbol) {
            let valueToken = current
            guard case .string(let value) = valueToken.kind else { throw unexpected("a quoted string after \(symbol)") }
            advance()
            let regex = op == .matchesRegex || op == .notMatchesRegex ? try compile(value, at: valueToken.position, dotMatchesNewline: false) : nil
            selector.stages.append(.lineFilter(LineFilter(op: op, value: value, regex: regex)))
            if current.isKeyword("or"), case .string = peek().kind {
                throw QueryError(position: current.position, message: "\"or\" between line filter values is not supported: write one filter with a regular expression, |~ \"a|b\"")
            }
            return true
        }
        if symbol == "|>" || symbol == "!>" {
            throw QueryError(position: token.position, message: "pattern line filters (\(symbol)) are not supported: use |~ with a regular expression")
        }
        selector.stages.append(try parsePipeStage())
        return true
    }

    /// What follows `|`: a parser, a formatter, drop/keep, or a label filter.
    private mutating func parsePipeStage() throws(QueryError) -> LogStage {
        let keywordToken = current
        guard let keyword = keywordToken.keyword, Self.stageKeywords.contains(keyword), !isComparison(peek()) else {
            return .labelFilter(try parseLabelFilter())
        }
        advance()
        switch keyword {
        case "json":
            return .json(try parseExtractions())
        case "logfmt":
            var options = LogfmtOptions()
            while current.isSymbol("-"), peek().isSymbol("-"), peek().position == current.position + 1 {
                let flagStart = current.position
                advance()
                advance()
                var flag = "--"
                var end = flagStart + 2
                while current.position == end, case .identifier(let part) = current.kind {
                    flag += part
                    end = current.end
                    advance()
                    if current.isSymbol("-"), current.position == end, case .identifier = peek().kind, peek().position == end + 1 {
                        flag += "-"
                        end += 1
                        advance()
                    } else {
                        break
                    }
                }
                switch flag {
                case "--strict": options.strict = true
                case "--keep-empty": options.keepEmpty = true
                default: throw QueryError(position: flagStart, expected: "a logfmt flag (--strict, --keep-empty)", found: "\"\(flag)\"")
                }
            }
            options.extractions = try parseExtractions()
            return .logfmt(options)
        case "regexp":
            let valueToken = current
            guard case .string(let pattern) = valueToken.kind else { throw unexpected("a quoted regular expression after regexp") }
            advance()
            _ = try compile(pattern, at: valueToken.position, dotMatchesNewline: false)
            return .regexp(pattern)
        case "pattern":
            return .pattern(try parseStringArgument(after: "pattern"))
        case "unpack":
            return .unpack
        case "line_format":
            return .lineFormat(try parseStringArgument(after: "line_format"))
        case "label_format":
            return .labelFormat(try parseLabelFormatItems())
        case "drop":
            return .drop(try parseLabelSelections())
        case "keep":
            return .keep(try parseLabelSelections())
        case "decolorize":
            return .decolorize
        default:
            throw QueryError(position: keywordToken.position, message: "| unwrap is only allowed inside a range aggregation such as sum_over_time({…} | unwrap latency [5m])")
        }
    }

    private mutating func parseStringArgument(after keyword: String) throws(QueryError) -> String {
        guard case .string(let value) = current.kind else { throw unexpected("a quoted string after \(keyword)") }
        advance()
        return value
    }

    /// `a="x.y", b, c="z[0]"` after `| json` or `| logfmt` (none is fine).
    private mutating func parseExtractions() throws(QueryError) -> [LogExtraction] {
        var extractions: [LogExtraction] = []
        guard case .identifier = current.kind else { return extractions }
        while true {
            guard case .identifier(let label) = current.kind, QueryTextFormat.isIdentifier(label) else { throw unexpected("a label name to extract") }
            advance()
            var path = label
            if current.isSymbol("=") {
                advance()
                guard case .string(let written) = current.kind else { throw unexpected("a quoted path after \(label)=") }
                path = written
                advance()
            }
            extractions.append(LogExtraction(label: label, path: path))
            guard current.isSymbol(",") else { return extractions }
            advance()
        }
    }

    /// `dst=src, msg="{{.a}} {{.b}}"` after `| label_format`.
    private mutating func parseLabelFormatItems() throws(QueryError) -> [LabelFormatItem] {
        var items: [LabelFormatItem] = []
        while true {
            guard case .identifier(let destination) = current.kind, QueryTextFormat.isIdentifier(destination) else { throw unexpected("a label name to set") }
            advance()
            try expect("=", "\"=\" after \(destination) in label_format")
            switch current.kind {
            case .identifier(let source) where QueryTextFormat.isIdentifier(source):
                items.append(.rename(to: destination, from: source))
            case .string(let template):
                items.append(.template(to: destination, template))
            default:
                throw unexpected("a label name to rename from, or a quoted template")
            }
            advance()
            guard current.isSymbol(",") else { return items }
            advance()
        }
    }

    /// `level, method="GET"` after `| drop` or `| keep`.
    private mutating func parseLabelSelections() throws(QueryError) -> [LabelSelection] {
        var selections: [LabelSelection] = []
        while true {
            guard case .identifier(let name) = current.kind, QueryTextFormat.isIdentifier(name) else { throw unexpected("a label name") }
            advance()
            var matcher: LabelMatcher?
            if case .symbol(let symbol) = current.kind, LabelMatcher.Operator(rawValue: symbol) != nil {
                matcher = try parseMatcher(name: name)
            }
            selections.append(LabelSelection(name: name, matcher: matcher))
            guard current.isSymbol(",") else { return selections }
            advance()
        }
    }
}
