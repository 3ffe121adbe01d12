/// A set of Unicode scalar values as sorted, disjoint, non-adjacent ranges.
/// Literals, `.`, classes and escapes all compile to one of these, so the
/// matcher has a single way to consume a character.
struct RegexCharacterSet: Equatable, Sendable {
    private(set) var ranges: [ClosedRange<UInt32>] = []

    static let maxScalar: UInt32 = 0x10FFFF

    init() {}

    init(_ ranges: [ClosedRange<UInt32>]) {
        for range in ranges { insert(range) }
    }

    init(scalar: UInt32) { ranges = [scalar...scalar] }

    static let all = RegexCharacterSet([0...maxScalar])
    static let allButNewline = RegexCharacterSet([0...9, 11...maxScalar])
    static let digit = RegexCharacterSet([48...57])
    /// `\w`: ASCII letters, digits and `_`, as in RE2.
    static let word = RegexCharacterSet([48...57, 65...90, 95...95, 97...122])
    /// `\s`: `[\t\n\f\r ]`, as in RE2.
    static let space = RegexCharacterSet([9...10, 12...13, 32...32])

    mutating func insert(_ range: ClosedRange<UInt32>) {
        var lower = range.lowerBound
        var upper = range.upperBound
        var kept: [ClosedRange<UInt32>] = []
        kept.reserveCapacity(ranges.count + 1)
        var placed = false
        for existing in ranges {
            if existing.upperBound &+ 1 < lower {
                kept.append(existing)
            } else if upper &+ 1 < existing.lowerBound {
                if !placed {
                    kept.append(lower...upper)
                    placed = true
                }
                kept.append(existing)
            } else {
                lower = min(lower, existing.lowerBound)
                upper = max(upper, existing.upperBound)
            }
        }
        if !placed { kept.append(lower...upper) }
        ranges = kept
    }

    mutating func formUnion(_ other: RegexCharacterSet) {
        for range in other.ranges { insert(range) }
    }

    func inverted() -> RegexCharacterSet {
        var result = RegexCharacterSet()
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.ranges.append(next...(range.lowerBound - 1)) }
            next = range.upperBound &+ 1
        }
        if next <= Self.maxScalar && !(ranges.last?.upperBound == Self.maxScalar) { result.ranges.append(next...Self.maxScalar) }
        return result
    }

    /// Adds the other case of every letter: ASCII always, other scripts for
    /// ranges of up to 2,000 scalars (enough for any literal or ordinary
    /// class; `[^a]` already holds both cases of nearly everything).
    func caseFolded() -> RegexCharacterSet {
        var result = self
        for range in ranges {
            let asciiLower = max(range.lowerBound, 65), asciiUpper = min(range.upperBound, 90)
            if asciiLower <= asciiUpper { result.insert((asciiLower + 32)...(asciiUpper + 32)) }
            let lowerLower = max(range.lowerBound, 97), lowerUpper = min(range.upperBound, 122)
            if lowerLower <= lowerUpper { result.insert((lowerLower - 32)...(lowerUpper - 32)) }
            guard range.upperBound >= 128, range.count <= 2_000 else { continue }
            for value in max(range.lowerBound, 128)...range.upperBound {
                guard let scalar = Unicode.Scalar(value) else { continue }
                for mapping in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping] {
                    let scalars = mapping.unicodeScalars
                    if scalars.count == 1, let other = scalars.first { result.insert(other.value...other.value) }
                }
            }
        }
        return result
    }

    func contains(_ value: UInt32) -> Bool {
        // Most sets are a literal or a few ranges: scan; binary search for big classes.
        if ranges.count <= 8 {
            for range in ranges {
                if value < range.lowerBound { return false }
                if value <= range.upperBound { return true }
            }
            return false
        }
        var low = 0, high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if value < range.lowerBound { high = middle - 1 } else if value > range.upperBound { low = middle + 1 } else { return true }
        }
        return false
    }
}
