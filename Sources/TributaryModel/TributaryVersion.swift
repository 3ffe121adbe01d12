/// The release of this build, as `trib --version` prints it and HELLO's
/// `software` field carries it (`trib/0.1.0`).
public enum TributaryVersion {
    public static let string = "0.1.0"
    public static var software: String { "trib/\(string)" }
}
