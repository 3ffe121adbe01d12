/// A change an evaluation made to an alert, for notifications and logs.
public enum AlertTransition: Sendable, Equatable {
    case pending(Alert)
    case firing(Alert)
    case resolved(Alert)
}
