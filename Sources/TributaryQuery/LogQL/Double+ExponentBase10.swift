extension Double {
    /// ⌊log10(|self|)⌋ for a finite non-zero value, without Foundation.
    var exponentBase10: Double {
        var exponent = 0.0
        var value = abs(self)
        while value >= 10 { value /= 10; exponent += 1 }
        while value < 1 { value *= 10; exponent -= 1 }
        return exponent
    }
}
