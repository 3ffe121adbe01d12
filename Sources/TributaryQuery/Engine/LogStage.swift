/// One stage of a LogQL pipeline.
public enum LogStage: Sendable, Equatable {
    /// `|= "x"`, `!= "x"`, `|~ "re"`, `!~ "re"`.
    case lineFilter(LineFilter)
    /// `| json` (every field, nested names joined with `_`) or
    /// `| json a="x.y", b="z[0]"` (only those, by JMESPath-like path).
    case json([LogExtraction])
    /// `| logfmt`, `| logfmt --strict --keep-empty a="x"`.
    case logfmt(LogfmtOptions)
    /// `| regexp "(?P<name>re)"`: named groups become labels.
    case regexp(String)
    /// `| pattern "<ip> - <_> [<time>] \"<method> <path> <_>\""`.
    case pattern(String)
    /// `| unpack`: the JSON object Promtail's `pack` stage wrote.
    case unpack
    /// `| level="error" and duration > 1s or status >= 500`.
    case labelFilter(LabelFilterExpr)
    /// `| line_format "{{.method}} {{.path}}"` (Go template syntax).
    case lineFormat(String)
    /// `| label_format dst=src, msg="{{.a}}-{{.b}}"`.
    case labelFormat([LabelFormatItem])
    /// `| drop level, method="GET"`: remove labels (all of that name, or
    /// only when the matcher matches).
    case drop([LabelSelection])
    /// `| keep level, method="GET"`: keep only these.
    case keep([LabelSelection])
    /// `| decolorize`: strip ANSI colour sequences from the line.
    case decolorize
}
