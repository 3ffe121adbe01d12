import Foundation

/// SplitMix64 with normal deviates (Box–Muller): the synthetic suite's
/// noise, the same for a seed on every machine and every run.
public struct SyntheticRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    private var spare: Double?

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    public mutating func unit() -> Double {
        Double((next() >> 11) + 1) / Double(UInt64(1) << 53)
    }

    /// A normal deviate with mean 0 and standard deviation 1.
    public mutating func gaussian() -> Double {
        if let spare {
            self.spare = nil
            return spare
        }
        let radius = (-2 * log(unit())).squareRoot()
        let angle = 2 * Double.pi * unit()
        spare = radius * sin(angle)
        return radius * cos(angle)
    }

    /// A Poisson deviate (Knuth's method; fine for the small means used here).
    public mutating func poisson(mean: Double) -> Double {
        let limit = exp(-mean)
        var product = unit()
        var count = 0.0
        while product > limit {
            product *= unit()
            count += 1
        }
        return count
    }
}
