import Hummingbird

/// Why a push, promote or rollback was refused: the HTTP status and what
/// the operator should do.
struct FleetConfigRefusal: Error, CustomStringConvertible {
    var status: HTTPResponse.Status
    var message: String

    var description: String { message }

    static func badRequest(_ message: String) -> FleetConfigRefusal { FleetConfigRefusal(status: .badRequest, message: message) }
    static func notFound(_ message: String) -> FleetConfigRefusal { FleetConfigRefusal(status: .notFound, message: message) }
    static func unavailable(_ message: String) -> FleetConfigRefusal { FleetConfigRefusal(status: .serviceUnavailable, message: message) }
}
