/// One assignment in `| label_format`.
public enum LabelFormatItem: Sendable, Equatable {
    /// `dst=src`: rename (src is removed).
    case rename(to: String, from: String)
    /// `dst="{{.a}}-{{.b}}"`: set from a template.
    case template(to: String, String)
}
