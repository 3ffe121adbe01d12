/// One item of a list whose items may be plain strings or mappings, such
/// as `tokens: ["${A}", {token: "${B}", roles: [query]}]`.
public enum ConfigListItem {
    /// A scalar, with `${VAR}` already substituted.
    case string(String)
    /// A mapping; call `finish()` on it after reading its keys.
    case mapping(ConfigReader)
}
