/// The tokens of one line, typed, in reusable buffers (the miner owns one
/// and refills it per line, so the hot path allocates nothing).
///
/// Typing is the miner's only knowledge of log text, and it is generic:
/// - a token whose value holds a digit, or two slashes (a path), or that
///   is longer than `maxLiteralBytes`, is a variable;
/// - so are weekday and month names (`Tue`, `Jul`: dates), and a unit
///   (`KB`, `ms`) right after a variable (`5.2 KB`);
/// - `key=value` keeps `key=` as the variable's literal prefix.
final class LineTokens {
    /// Each buffer holds `capacity` (`maxTokens`) entries, allocated once:
    /// writing through pointers keeps the per-line loop free of array
    /// uniqueness and exclusivity checks.
    let capacity: Int
    let starts: UnsafeMutablePointer<Int>
    let ends: UnsafeMutablePointer<Int>
    /// The hash a template position must have to match: of the literal,
    /// or of the variable's prefix with `ByteHash.variableMark`.
    let hashes: UnsafeMutablePointer<UInt64>
    let isVariable: UnsafeMutablePointer<Bool>
    /// Bytes of `key=` in front of the value (0 when there is no `=`).
    let keyLengths: UnsafeMutablePointer<Int>
    /// The hash of `key=`, comparable to a variable template token's hash.
    let keyHashes: UnsafeMutablePointer<UInt64>
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        starts = .allocate(capacity: self.capacity)
        ends = .allocate(capacity: self.capacity)
        hashes = .allocate(capacity: self.capacity)
        isVariable = .allocate(capacity: self.capacity)
        keyLengths = .allocate(capacity: self.capacity)
        keyHashes = .allocate(capacity: self.capacity)
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
        hashes.deallocate()
        isVariable.deallocate()
        keyLengths.deallocate()
        keyHashes.deallocate()
    }

    /// The hashes as an array (for the rare paths that keep them).
    var hashArray: [UInt64] { Array(UnsafeBufferPointer(start: hashes, count: count)) }

    func fill(_ line: UnsafeBufferPointer<UInt8>, configuration: TemplateMinerConfiguration) {
        var index = 0
        var found = 0
        let end = line.count
        while index < end {
            while index < end, Self.isSpace(line[index]) { index += 1 }
            if index == end { break }
            let start = index
            while index < end, !Self.isSpace(line[index]) { index += 1 }
            if found == capacity {
                // The rest of the line joins the last token (a variable).
                ends[found - 1] = index
            } else {
                starts[found] = start
                ends[found] = index
                found += 1
            }
        }
        count = found
        for position in 0..<found {
            classify(line, position: position, configuration: configuration)
        }
    }

    private func classify(_ line: UnsafeBufferPointer<UInt8>, position: Int, configuration: TemplateMinerConfiguration) {
        let start = starts[position]
        let end = ends[position]
        var keyLength = 0
        var index = start
        while index < end {
            if line[index] == UInt8(ascii: "=") { keyLength = index - start + 1; break }
            index += 1
        }
        // A key longer than a literal may be is no key: the whole token is
        // then one variable, so a template never holds a long prefix.
        if keyLength > configuration.maxLiteralBytes { keyLength = 0 }
        // Only the value decides: digits in a key (`x1=`) are part of the name.
        var digits = false
        var slashes = 0
        var spaces = false
        index = start + keyLength
        while index < end {
            let byte = line[index]
            if byte >= 0x30 && byte <= 0x39 { digits = true }
            if byte == UInt8(ascii: "/") { slashes += 1 }
            if Self.isSpace(byte) { spaces = true }
            index += 1
        }
        let keyHash = keyLength > 0 ? ByteHash.of(line, from: start, to: start + keyLength) : 0
        var variable = digits || slashes >= 2 || spaces || end - start > configuration.maxLiteralBytes
        if !variable, keyLength == 0 {
            if end - start == 3, Self.isDateWord(line[start], line[start + 1], line[start + 2]) {
                variable = true
            } else if position > 0, isVariable[position - 1], Self.isUnit(line, from: start, to: end) {
                variable = true
            }
        }
        keyLengths[position] = keyLength
        keyHashes[position] = keyHash
        isVariable[position] = variable
        if variable {
            hashes[position] = (keyLength > 0 ? keyHash : ByteHash.offsetBasis) ^ ByteHash.variableMark
        } else {
            hashes[position] = ByteHash.of(line, from: start, to: end)
        }
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    private static let dateWords: Set<UInt32> = {
        let words = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
                     "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return Set(words.map { word in
            let bytes = Array(word.utf8)
            return UInt32(bytes[0]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[2])
        })
    }()

    private static func isDateWord(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        guard a >= 0x41 && a <= 0x5A else { return false }
        return dateWords.contains(UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c))
    }

    /// Units of sizes and durations, with a trailing `,` or `;` allowed
    /// (compared in place: this runs for many short tokens).
    private static let units: [[UInt8]] = ["B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "ms", "s", "us", "ns"].map { Array($0.utf8) }

    private static func isUnit(_ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var last = end
        while last > start, line[last - 1] == UInt8(ascii: ",") || line[last - 1] == UInt8(ascii: ";") { last -= 1 }
        let length = last - start
        guard length >= 1, length <= 3 else { return false }
        for unit in units where unit.count == length {
            var equal = true
            for offset in 0..<length where unit[offset] != line[start + offset] {
                equal = false
                break
            }
            if equal { return true }
        }
        return false
    }
}
