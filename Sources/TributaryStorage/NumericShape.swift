import NIOCore

/// A variable value taken apart into its digit runs (as integers) and the
/// bytes around them (its shape): `10.251.42.84:50010` is the shape
/// `•.•.•.•:•` and the numbers 10, 251, 42, 84, 50010. Numbers compress
/// better as integers (and as deltas to the same position of the previous
/// line of the template) than as text, and a shape recurs as often as the
/// value's format does.
///
/// In a shape, `0x11` stands for a digit run written plainly (`0`, or no
/// leading zero) and `0x12 w` for one zero-padded to `w` digits (`06`,
/// `0042`). A value holding those bytes itself, a digit run longer than 19
/// digits, or no digit at all has no shape (it is stored as a string).
enum NumericShape {
    static let plain: UInt8 = 0x11
    static let padded: UInt8 = 0x12
    /// Digit runs a shape may hold (bounds per-slot state in readers).
    static let maxNumbers = 32
    /// 19 digits always fit in a UInt64.
    static let maxDigits = 19

    /// Splits `value`: appends the shape to `shape` and the numbers to
    /// `numbers` (both cleared first), or returns false. With
    /// `digitsInWords`, digit runs touching letters (`R02`, `subdir7`) are
    /// numbers too (mode 3, whose columns share shapes and streams across
    /// templates: 2.5% smaller on Loghub); mode 2 kept them as strings.
    static func split(_ value: UnsafeBufferPointer<UInt8>, shape: inout [UInt8], numbers: inout [UInt64], digitsInWords: Bool = false) -> Bool {
        shape.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        var index = 0
        let count = value.count
        while index < count {
            let byte = value[index]
            if byte == plain || byte == padded { return false }
            guard byte >= 0x30 && byte <= 0x39 else {
                shape.append(byte)
                index += 1
                continue
            }
            let start = index
            var number: UInt64 = 0
            while index < count, value[index] >= 0x30, value[index] <= 0x39 {
                if index - start == maxDigits { return false }
                number = number * 10 + UInt64(value[index] - 0x30)
                index += 1
            }
            // A run touching a letter (`a3f2`, `R02`, `x86`) is part of a
            // word, not a number: such values are strings, which keeps
            // identifiers out of the shape dictionary.
            if !digitsInWords, start > 0, Self.isLetter(value[start - 1]) { return false }
            if !digitsInWords, index < count, Self.isLetter(value[index]) { return false }
            let width = index - start
            if width > 1 && value[start] == 0x30 {
                shape.append(padded)
                shape.append(UInt8(width))
            } else {
                shape.append(plain)
            }
            numbers.append(number)
            if numbers.count > maxNumbers { return false }
        }
        return !numbers.isEmpty
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
    }

    /// The number of digit runs in a stored shape, or nil if it is malformed.
    static func numberCount(of shape: ByteBuffer) -> Int? {
        var count = 0
        var index = shape.readerIndex
        let end = shape.writerIndex
        while index < end {
            let byte = shape.getInteger(at: index, as: UInt8.self)!
            if byte == plain {
                count += 1
            } else if byte == padded {
                guard index + 1 < end, let width = shape.getInteger(at: index + 1, as: UInt8.self),
                      width >= 2, Int(width) <= maxDigits else { return nil }
                count += 1
                index += 1
            }
            index += 1
        }
        return count <= maxNumbers ? count : nil
    }

    /// Writes the value of `shape` with `numbers` to `out`. The shape was
    /// checked by `numberCount`; a number wider than its padding is corrupt.
    static func rebuild(_ shape: ByteBuffer, numbers: ArraySlice<UInt64>, into out: inout ByteBuffer) throws(TemplatedTextError) {
        var next = numbers.startIndex
        var index = shape.readerIndex
        let end = shape.writerIndex
        while index < end {
            let byte = shape.getInteger(at: index, as: UInt8.self)!
            if byte == plain || byte == padded {
                guard next < numbers.endIndex else { throw .malformed("a shape needs more numbers than stored") }
                var width = 0
                if byte == padded {
                    width = Int(shape.getInteger(at: index + 1, as: UInt8.self)!)
                    index += 1
                }
                try writeDecimal(numbers[next], width: width, into: &out)
                next += 1
            } else {
                out.writeInteger(byte)
            }
            index += 1
        }
    }

    private static func writeDecimal(_ value: UInt64, width: Int, into out: inout ByteBuffer) throws(TemplatedTextError) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        let written = withUnsafeMutableBytes(of: &digits) { scratch -> Int in
            var value = value
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = UInt8(value % 10) + 0x30
                value /= 10
            } while value > 0
            return scratch.count - position
        }
        guard written <= max(width, maxDigits) else { throw .malformed("a number has more digits than a shape allows") }
        if width > written {
            guard width <= maxDigits else { throw .malformed("a padded number is too wide") }
            out.writeRepeatingByte(0x30, count: width - written)
        } else if width > 0 && width < written {
            throw .malformed("a padded number is wider than its padding")
        }
        withUnsafeBytes(of: &digits) { scratch in
            _ = out.writeBytes(UnsafeRawBufferPointer(rebasing: scratch[(scratch.count - written)...]))
        }
    }
}
