internal import CTributaryShims

/// A TLS protocol version this layer allows. Older versions are not offered.
public enum TLSVersion: String, Sendable, Comparable, CaseIterable {
    case v1_2 = "TLSv1.2"
    case v1_3 = "TLSv1.3"

    var openSSLValue: Int32 {
        switch self {
        case .v1_2: return ctrib_TLS1_2_VERSION()
        case .v1_3: return ctrib_TLS1_3_VERSION()
        }
    }

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool { lhs.rawValue < rhs.rawValue }
}
