/// One word of a template command.
indirect enum TemplateOperand: Equatable {
    /// `.name`: a label's value ("" when missing).
    case field(String)
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    /// A function name (`ToUpper`, `printf`, `__line__`, …).
    case function(String)
    /// `( pipeline )`.
    case pipeline(TemplatePipeline)
}
