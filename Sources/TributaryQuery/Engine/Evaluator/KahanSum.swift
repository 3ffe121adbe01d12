/// Kahan–Neumaier compensated summation, as Prometheus' `kahansum.Inc`.
enum KahanSum {
    @inline(__always)
    static func add(_ increment: Double, _ sum: Double, _ compensation: Double) -> (sum: Double, compensation: Double) {
        let total = sum + increment
        var c = compensation
        if total.isInfinite {
            c = 0
        } else if abs(sum) >= abs(increment) {
            c += (sum - total) + increment
        } else {
            c += (increment - total) + sum
        }
        return (total, c)
    }
}
