/// Prometheus' staleness marker: a NaN with a payload that no arithmetic
/// produces, written when a series disappears. The storage keeps it as a
/// sample; the evaluator treats a series whose latest sample is a marker as
/// absent and leaves markers out of range windows.
public enum StaleMarker {
    /// The bit pattern Prometheus writes (`value.StaleNaN`).
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002
    /// The marker as a Double (compare with `isStale`, never with `==`).
    public static let value = Double(bitPattern: bitPattern)

    @inline(__always)
    public static func isStale(_ value: Double) -> Bool { value.bitPattern == bitPattern }
}
