/// The kind byte that opens each record of a batch body.
enum RecordKind: UInt8 {
    case log = 1
    case metric = 2
    case event = 3
}
