/// Another node's alerts could not be read.
struct AlertsFetchFailed: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
