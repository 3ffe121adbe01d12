/// `| line_format "{{.method}} {{.path | ToUpper}}"`: the line becomes the
/// template's output. A template that fails on a line (a bad comparison,
/// output over the bound) leaves the line as it was and sets
/// `__error__="TemplateFormatErr"`, as in Loki.
final class LineFormatStage: LogPipelineStage {
    private let template: LineTemplate
    private var output = ""

    init(_ text: String) throws(LogPipelineError) {
        do {
            template = try LineTemplate(text)
        } catch {
            throw LogPipelineError("invalid line template \"\(text)\": \(error.message)")
        }
    }

    func process(_ line: inout LogLineState, _ labels: inout LogLabelBuilder) -> Bool {
        if let field = template.simpleField {
            line.rewritten = Array(labels.value(of: field).utf8)
            return true
        }
        let failure: String? = line.withBytes { bytes in
            do throws(LineTemplate.Failure) {
                try template.execute(&labels, LineTemplate.Context(line: bytes, timestamp: line.timestamp), into: &output)
                return nil
            } catch {
                return error.message
            }
        }
        if let failure {
            labels.setError(LogLabelNames.templateFormatError, details: failure)
        } else {
            line.rewritten = Array(output.utf8)
        }
        return true
    }
}
