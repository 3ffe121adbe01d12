/// The samples of one series inside one step's window (start, end]:
/// indices lower..<upper of its arrays. The functions follow Prometheus'
/// promql/functions.go.
struct Window {
    let timestamps: [Int64]
    let values: [Double]
    let lower: Int
    let upper: Int
    let start: Int64
    let end: Int64

    var count: Int { upper - lower }

    /// rate, increase and delta: the change between the first and last
    /// sample (plus counter resets), extrapolated towards the window's edges
    /// when the samples reach within 1.1 average intervals of them, and
    /// never to before a counter would have been zero.
    func extrapolatedRate(isCounter: Bool, isRate: Bool, rangeSeconds: Double, corrections: [Double]) -> Double? {
        guard count >= 2 else { return nil }
        let first = lower, last = upper - 1
        var result = values[last] - values[first]
        if isCounter { result += corrections[last] - corrections[first] }
        var durationToStart = Double(timestamps[first] - start) / 1e9
        var durationToEnd = Double(end - timestamps[last]) / 1e9
        let sampledInterval = Double(timestamps[last] - timestamps[first]) / 1e9
        let averageInterval = sampledInterval / Double(count - 1)
        let threshold = averageInterval * 1.1
        if durationToStart >= threshold { durationToStart = averageInterval / 2 }
        if isCounter {
            var durationToZero = durationToStart
            if result > 0, values[first] >= 0 { durationToZero = sampledInterval * (values[first] / result) }
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        if durationToEnd >= threshold { durationToEnd = averageInterval / 2 }
        var factor = 1.0
        if sampledInterval != 0 { factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval }
        if isRate { factor /= rangeSeconds }
        return result * factor
    }

    /// irate and idelta: the last two samples.
    func instantValue(isRate: Bool) -> Double? {
        guard count >= 2 else { return nil }
        let previous = values[upper - 2], last = values[upper - 1]
        let interval = timestamps[upper - 1] - timestamps[upper - 2]
        guard interval != 0 else { return nil }
        var result = last - previous
        if isRate {
            if last < previous { result = last }
            result /= Double(interval) / 1e9
        }
        return result
    }

    /// Least-squares fit with x in seconds since `interceptTime`.
    func linearRegression(interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = 0.0, cX = 0.0, sumY = 0.0, cY = 0.0, sumXY = 0.0, cXY = 0.0, sumX2 = 0.0, cX2 = 0.0
        let initial = values[lower]
        var constant = true
        for index in lower..<upper {
            let y = values[index]
            if constant, index > lower, y != initial { constant = false }
            n += 1
            let x = Double(timestamps[index] - interceptTime) / 1e9
            (sumX, cX) = KahanSum.add(x, sumX, cX)
            (sumY, cY) = KahanSum.add(y, sumY, cY)
            (sumXY, cXY) = KahanSum.add(x * y, sumXY, cXY)
            (sumX2, cX2) = KahanSum.add(x * x, sumX2, cX2)
        }
        if constant {
            if initial.isInfinite { return (.nan, .nan) }
            return (0, initial)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covariance = sumXY - sumX * sumY / n
        let varianceX = sumX2 - sumX * sumX / n
        let slope = covariance / varianceX
        return (slope, sumY / n - slope * sumX / n)
    }

    func doubleExponentialSmoothing(smoothing sf: Double, trend tf: Double) -> Double? {
        guard count >= 2 else { return nil }
        var s0 = 0.0
        var s1 = values[lower]
        var b = values[lower + 1] - values[lower]
        for index in (lower + 1)..<upper {
            let x = sf * values[index]
            if index - lower - 1 != 0 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            s0 = s1
            s1 = x + y
        }
        return s1
    }

    var changes: Double {
        var changes = 0.0
        for index in (lower + 1)..<max(upper, lower + 1) {
            let current = values[index], previous = values[index - 1]
            if current != previous, !(current.isNaN && previous.isNaN) { changes += 1 }
        }
        return changes
    }

    var resets: Double {
        var resets = 0.0
        for index in (lower + 1)..<max(upper, lower + 1) where values[index] < values[index - 1] { resets += 1 }
        return resets
    }

    var sum: Double {
        var sum = 0.0, c = 0.0
        for index in lower..<upper { (sum, c) = KahanSum.add(values[index], sum, c) }
        return sum.isInfinite ? sum : sum + c
    }

    var average: Double {
        var sum = values[lower], count = 1.0, mean = 0.0, c = 0.0
        var incremental = false
        for index in (lower + 1)..<max(upper, lower + 1) {
            let f = values[index]
            count = Double(index - lower + 1)
            if !incremental {
                let (newSum, newC) = KahanSum.add(f, sum, c)
                if !newSum.isInfinite {
                    sum = newSum
                    c = newC
                    continue
                }
                incremental = true
                mean = sum / (count - 1)
                c /= count - 1
            }
            let q = (count - 1) / count
            (mean, c) = KahanSum.add(f / count, q * mean, q * c)
        }
        return incremental ? mean + c : sum / count + c / count
    }

    /// max_over_time (greater) or min_over_time: a NaN is replaced by any number.
    func extreme(greater: Bool) -> (value: Double, time: Int64) {
        var best = values[lower], time = timestamps[lower]
        for index in lower..<upper {
            let f = values[index]
            if (greater ? f > best : f < best) || best.isNaN {
                best = f
                time = timestamps[index]
            }
        }
        return (best, time)
    }

    var variance: Double {
        var count = 0.0, mean = 0.0, cMean = 0.0, aux = 0.0, cAux = 0.0
        for index in lower..<upper {
            let f = values[index]
            count += 1
            let delta = f - (mean + cMean)
            (mean, cMean) = KahanSum.add(delta / count, mean, cMean)
            (aux, cAux) = KahanSum.add(delta * (f - (mean + cMean)), aux, cAux)
        }
        return (aux + cAux) / count
    }

    var medianAbsoluteDeviation: Double {
        let window = Array(values[lower..<upper])
        if window.contains(where: \.isNaN) { return .nan }
        let median = Quantile.of(0.5, window)
        return Quantile.of(0.5, window.map { abs($0 - median) })
    }
}
