/// A compiled `line_format`/`label_format` template and its execution
/// against one line's labels. Output is bounded (`maxOutput` bytes): a
/// template that would write more fails with `TemplateFormatErr` instead.
struct LineTemplate {
    static let maxOutput = 1 << 20

    struct Failure: Error {
        var message: String
    }

    let nodes: [TemplateNode]
    /// `{{.name}}` alone: the label's value, without running anything.
    let simpleField: String?

    init(_ text: String) throws(LineTemplateParser.Failure) {
        nodes = try LineTemplateParser.parse(text)
        if nodes.count == 1, case .action(let pipeline) = nodes[0], pipeline.commands.count == 1,
           pipeline.commands[0].count == 1, case .field(let name) = pipeline.commands[0][0] {
            simpleField = name
        } else {
            simpleField = nil
        }
    }

    /// What running a template needs besides the labels.
    struct Context {
        var line: UnsafeRawBufferPointer
        var timestamp: Int64
    }

    func execute(_ labels: inout LogLabelBuilder, _ context: Context, into output: inout String) throws(Failure) {
        output.removeAll(keepingCapacity: true)
        try run(nodes, &labels, context, &output)
    }

    private func run(_ nodes: [TemplateNode], _ labels: inout LogLabelBuilder, _ context: Context, _ output: inout String) throws(Failure) {
        for node in nodes {
            switch node {
            case .text(let text):
                try append(text, to: &output)
            case .action(let pipeline):
                try append(try evaluate(pipeline, &labels, context).text, to: &output)
            case .conditional(let condition, let then, let otherwise), .with(let condition, let then, let otherwise):
                try run(try evaluate(condition, &labels, context).isTrue ? then : otherwise, &labels, context, &output)
            }
        }
    }

    private func append(_ text: String, to output: inout String) throws(Failure) {
        guard output.utf8.count + text.utf8.count <= Self.maxOutput else {
            throw Failure(message: "template output exceeds \(Self.maxOutput) bytes")
        }
        output += text
    }

    func evaluate(_ pipeline: TemplatePipeline, _ labels: inout LogLabelBuilder, _ context: Context) throws(Failure) -> TemplateValue {
        var piped: TemplateValue? = nil
        for command in pipeline.commands {
            piped = try evaluate(command, piped: piped, &labels, context)
        }
        return piped ?? .none
    }

    private func evaluate(_ command: [TemplateOperand], piped: TemplateValue?, _ labels: inout LogLabelBuilder, _ context: Context) throws(Failure) -> TemplateValue {
        if case .function(let name) = command[0] {
            // `and`/`or` evaluate their arguments lazily, as Go does.
            if name == "and" || name == "or" {
                let count = command.count - 1 + (piped == nil ? 0 : 1)
                guard count > 0 else { throw Failure(message: "wrong number of args for \(name): want at least 1 got 0") }
                var last: TemplateValue = .none
                for position in 0..<count {
                    last = position < command.count - 1 ? try value(of: command[position + 1], &labels, context) : (piped ?? .none)
                    if (name == "and") != last.isTrue { return last }
                }
                return last
            }
            var arguments: [TemplateValue] = []
            arguments.reserveCapacity(command.count)
            for operand in command.dropFirst() { arguments.append(try value(of: operand, &labels, context)) }
            if let piped { arguments.append(piped) }
            return try TemplateFunctions.call(name, arguments, context)
        }
        guard command.count == 1 else { throw Failure(message: "can't give arguments to a non-function value") }
        guard piped == nil else { throw Failure(message: "can't give argument to non-function \(command[0])") }
        return try value(of: command[0], &labels, context)
    }

    private func value(of operand: TemplateOperand, _ labels: inout LogLabelBuilder, _ context: Context) throws(Failure) -> TemplateValue {
        switch operand {
        case .field(let name): return .string(labels.value(of: name))
        case .string(let text): return .string(text)
        case .int(let value): return .int(value)
        case .float(let value): return .float(value)
        case .bool(let value): return .bool(value)
        case .function(let name): return try TemplateFunctions.call(name, [], context)
        case .pipeline(let pipeline): return try evaluate(pipeline, &labels, context)
        }
    }
}
