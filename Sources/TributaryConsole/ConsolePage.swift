/// The console's pages: each path answers with the same shell, and the
/// browser-side router (`app.js`) draws the page the path names, so every
/// view can be linked to and the back button works.
public enum ConsolePage: String, Sendable, CaseIterable {
    case home = "/"
    case explore = "/explore"
    case graph = "/graph"
    case patterns = "/patterns"
    case fleet = "/fleet"
    case cluster = "/cluster"
    case alerts = "/alerts"
}
