import Testing
@testable import TributaryAlerting

@Suite struct AlertTemplateTests {
    let data = TemplateData(labels: ["instance": "web-1:9100", "job": "node"], value: 1234.5678, externalLabels: ["cluster": "eu-1"])

    @Test func rendersLabelsValueAndExternalLabels() throws {
        let template = try AlertTemplate("{{ $labels.instance }} of {{ .Labels.job }} is {{ $value }} in {{ $externalLabels.cluster }}")
        #expect(template.render(data) == "web-1:9100 of node is 1234.5678 in eu-1")
    }

    @Test func pipesIntoHumanizeAndPrintf() throws {
        #expect(try AlertTemplate("{{ $value | humanize }}").render(data) == "1.235k")
        #expect(try AlertTemplate("{{ printf \"%.2f\" $value }}").render(data) == "1234.57")
        #expect(try AlertTemplate("{{ $value | printf \"%.1f\" }}").render(data) == "1234.6")
        #expect(try AlertTemplate("{{ humanize1024 2048 }}").render(data) == "2Ki")
        #expect(try AlertTemplate("{{ 0.256 | humanizePercentage }}").render(data) == "25.6%")
        #expect(try AlertTemplate("{{ humanizeDuration 3725 }}").render(data) == "1h 2m 5s")
        #expect(try AlertTemplate("{{ 0.0012 | humanize }}").render(data) == "1.2m")
        #expect(try AlertTemplate("{{ index $labels \"job\" | toUpper }}").render(data) == "NODE")
        #expect(try AlertTemplate("{{ printf \"%s=%d%%\" $labels.job 42 }}").render(data) == "node=42%")
    }

    @Test func printfWidthsAreBoundedAndBadArgumentsSayWhy() throws {
        #expect(try AlertTemplate("{{ printf \"%999999999f\" 1.5 }}").render(data).count < 120)
        #expect(try AlertTemplate("{{ printf \"%5s|%-5s|\" \"ab\" \"cd\" }}").render(data) == "   ab|cd   |")
        #expect(try AlertTemplate("{{ printf \"%d\" }}").render(data) == "%!d(MISSING)")
        #expect(try AlertTemplate("{{ $labels.job | humanize }}").render(data) == "<error: humanize: node is not a number>")
    }

    @Test func trimsWhitespaceAroundDashes() throws {
        #expect(try AlertTemplate("a  {{- $labels.job -}}  b").render(data) == "anodeb")
    }

    @Test func missingLabelsRenderEmptyAndPlainTextStaysAsIs() throws {
        #expect(try AlertTemplate("[{{ $labels.nope }}]").render(data) == "[]")
        let plain = try AlertTemplate("disk almost full")
        #expect(plain.isConstant)
        #expect(plain.render(data) == "disk almost full")
    }

    @Test func refusesUnsupportedSyntaxWithWhereAndWhat() {
        func failure(_ text: String) -> TemplateError? {
            do { _ = try AlertTemplate(text); return nil } catch { return error }
        }
        let control = failure("x {{ if $value }}y{{ end }}")
        #expect(control?.message.contains("control structure \"if\"") == true)
        #expect(control?.offset == 5)
        #expect(failure("{{ query \"up\" }}")?.message.contains("unsupported function \"query\"") == true)
        #expect(failure("{{ $labels.job ")?.message.contains("unclosed action") == true)
        #expect(failure("{{ $foo := 1 }}") != nil)
        #expect(failure("{{ $value.x }}")?.message.contains("has no fields") == true)
        #expect(failure("{{ }}")?.message.contains("empty action") == true)
        #expect(failure("{{ printf $value }}")?.message.contains("format string") == true)
        #expect(failure("{{ $value | $labels }}")?.message.contains("only a function can follow") == true)
    }
}
