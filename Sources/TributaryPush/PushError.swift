/// Why a push request is refused for good, with the HTTP status a client
/// understands and a reason that says what to change. (Busy answers,
/// 429/503, come from the store, not from decoding.)
public struct PushError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// 400: the data can never be stored as it is.
        case badRequest
        /// 413: over a `push:` limit; smaller requests would succeed.
        case tooLarge
        /// 415: a content type or encoding this endpoint does not read.
        case unsupportedMediaType
    }

    public let kind: Kind
    public let reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public static func badRequest(_ reason: String) -> PushError { PushError(.badRequest, reason) }
    public static func tooLarge(_ reason: String) -> PushError { PushError(.tooLarge, reason) }

    /// The HTTP status code.
    public var status: Int {
        switch kind {
        case .badRequest: return 400
        case .tooLarge: return 413
        case .unsupportedMediaType: return 415
        }
    }

    public var description: String { reason }
}
