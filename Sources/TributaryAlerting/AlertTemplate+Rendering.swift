import Foundation

extension AlertTemplate {
    /// A value flowing through a pipeline.
    enum Value {
        case string(String)
        case number(Double)
        case map([String: String])

        /// How Go's `{{ }}` prints it.
        var text: String {
            switch self {
            case .string(let text): return text
            case .number(let number): return AlertTemplate.goFloat(number)
            case .map(let map): return "map[" + map.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ") + "]"
            }
        }

        var number: Double? {
            switch self {
            case .number(let number): return number
            case .string(let text): return Double(text)
            case .map: return nil
            }
        }
    }

    /// The text with every action replaced by its value. Runtime problems
    /// (humanizing a label that is not a number) render as Go's
    /// `<error: …>` text instead of failing the notification.
    public func render(_ data: TemplateData) -> String {
        var output = ""
        for part in parts {
            switch part {
            case .text(let text): output += text
            case .action(let commands):
                var value: Value?
                for command in commands {
                    value = run(command, piped: value, data)
                }
                output += value?.text ?? ""
            }
        }
        return output
    }

    private func resolve(_ operand: Operand, _ data: TemplateData) -> Value {
        switch operand {
        case .labels(nil): return .map(data.labels)
        case .labels(let name?): return .string(data.labels[name] ?? "")
        case .externalLabels(nil): return .map(data.externalLabels)
        case .externalLabels(let name?): return .string(data.externalLabels[name] ?? "")
        case .value: return .number(data.value)
        case .string(let text): return .string(text)
        case .number(let number): return .number(number)
        }
    }

    private func run(_ command: Command, piped: Value?, _ data: TemplateData) -> Value {
        var arguments = command.arguments.map { resolve($0, data) }
        if let piped { arguments.append(piped) }
        guard let function = command.function else { return arguments.first ?? .string("") }
        func number(_ value: Value) -> Double? { value.number }
        switch function {
        case .humanize:
            guard let value = number(arguments[0]) else { return .string("<error: humanize: \(arguments[0].text) is not a number>") }
            return .string(Self.humanize(value, base: 1000))
        case .humanize1024:
            guard let value = number(arguments[0]) else { return .string("<error: humanize1024: \(arguments[0].text) is not a number>") }
            return .string(Self.humanize(value, base: 1024))
        case .humanizePercentage:
            guard let value = number(arguments[0]) else { return .string("<error: humanizePercentage: \(arguments[0].text) is not a number>") }
            return .string(Self.cFormat("%.4g", value * 100) + "%")
        case .humanizeDuration:
            guard let value = number(arguments[0]) else { return .string("<error: humanizeDuration: \(arguments[0].text) is not a number>") }
            return .string(Self.humanizeDuration(value))
        case .printf:
            return .string(Self.printf(arguments[0].text, Array(arguments.dropFirst())))
        case .index:
            guard case .map(let map) = arguments[0] else { return .string("<error: index of \(arguments[0].text), not a map>") }
            return .string(map[arguments[1].text] ?? "")
        case .toUpper: return .string(arguments[0].text.uppercased())
        case .toLower: return .string(arguments[0].text.lowercased())
        case .title: return .string(arguments[0].text.capitalized)
        }
    }
}
