import Foundation
import Testing
import TributaryConfig
import TributaryTestSupport
@testable import TributaryAlerting

/// Random texts made of the pieces templates, durations and rule files
/// are made of: every one is either accepted or refused with an error,
/// never a crash, and accepted templates render for any value.
@Suite struct AlertingRandomInputTests {
    static let templatePieces = [
        "{{", "}}", "{{-", "-}}", " ", "$labels", ".job", "$value", "$externalLabels", ".Labels", ".Value", "|", "humanize", "humanize1024",
        "humanizePercentage", "humanizeDuration", "printf", "\"%.2f\"", "\"%s %d %q %v %e %g %%\"", "\"%999999f\"", "\"%-5s\"", "\"", "\\",
        "index", "toUpper", "title", "if", "end", "(", ")", "1e308", "-0", "42", "x", "é", "\n", ":=", "$x", "\"\\n\"", "\"\\q\"",
    ]
    static let values: [Double] = [0, -0.0, 1, -1, 0.001, 1e-30, 123456789, 1e300, -1e300, .nan, .infinity, -.infinity, .greatestFiniteMagnitude]

    @Test func randomTemplatesParseOrFailCleanlyAndRenderAnyValue() {
        var random = SeededGenerator(seed: 16)
        var accepted = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 1...12, using: &random)
            let text = (0..<count).map { _ in Self.templatePieces.randomElement(using: &random)! }.joined()
            guard let template = try? AlertTemplate(text) else { continue }
            accepted += 1
            for value in Self.values {
                let data = TemplateData(labels: ["job": "api", "x": "1.5"], value: value, externalLabels: ["cluster": "c"])
                #expect(template.render(data).utf8.count < 100_000, "\(text)")
            }
        }
        #expect(accepted > 500, "the generator should produce valid templates too")
    }

    @Test func randomDurationsAreParsedWithoutTrapping() {
        var random = SeededGenerator(seed: 61)
        let pieces = ["0", "1", "9", "99999999999999999999", "y", "w", "d", "h", "m", "s", "ms", ".", "-", " ", "µs"]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 1...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            if let value = PrometheusDuration.parse(text) { #expect(value >= 0, "\(text)") }
        }
    }

    @Test func randomRuleFilesAreAcceptedOrRefusedWithALocation() {
        var random = SeededGenerator(seed: 7)
        let lines = [
            "groups:", "  - name: g", "  - name: h", "    interval: 1s", "    interval: -1s", "    limit: 3", "    rules:",
            "      - alert: A", "      - record: a:b", "        expr: up > 1", "        expr: '{app=\"x\"}'", "        expr: sum(",
            "        for: 5m", "        keep_firing_for: 1h", "        labels: {severity: page}", "        annotations: {s: \"{{ $value }}\"}",
            "        annotations: {s: \"{{ if }}\"}", "      - {}", "    rules: 3", "groups: 1", "  x: y", "\t", "- - -", "  - name: [1, 2]",
        ]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 1...14, using: &random)).map { _ in lines.randomElement(using: &random)! }.joined(separator: "\n")
            do {
                let reader = try ConfigReader.parse(text, file: "r.yaml", environment: [:])
                _ = try RuleFile.read(reader, path: "r.yaml", tenant: "t", defaultInterval: 60_000_000_000)
            } catch {
                #expect(error.file == "r.yaml" && !error.message.isEmpty)
            }
        }
    }
}
