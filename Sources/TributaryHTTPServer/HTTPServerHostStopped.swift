/// The HTTP server stopped at start without an error of its own.
public struct HTTPServerHostStopped: Error, CustomStringConvertible {
    public let address: String

    public var description: String { "the HTTP server on \(address) stopped at start" }
}
