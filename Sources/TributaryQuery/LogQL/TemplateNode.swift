/// A parsed `line_format`/`label_format` template: text, `{{ pipeline }}`
/// actions and `{{ if }} … {{ else if }} … {{ else }} … {{ end }}` blocks.
indirect enum TemplateNode: Equatable {
    case text(String)
    case action(TemplatePipeline)
    case conditional(TemplatePipeline, then: [TemplateNode], otherwise: [TemplateNode])
    /// `{{ with pipeline }} … {{ else }} … {{ end }}`: the body runs when the
    /// value is true (`.` keeps meaning the labels here).
    case with(TemplatePipeline, then: [TemplateNode], otherwise: [TemplateNode])
}
