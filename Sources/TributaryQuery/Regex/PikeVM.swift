/// Runs a `RegexProgram` over UTF-8 bytes in one pass, keeping the set of
/// program positions alive at each character (Pike's VM; `PikeVM+Submatches`
/// adds the capture slots).
/// Work is at most (characters × instructions): no input makes it
/// backtrack, so `(a+)+$` against `aaaa…!` costs what `a+$` costs.
///
/// Invalid UTF-8 is read one byte at a time as U+FFFD, so it never throws.
struct PikeVM {
    let program: RegexProgram

    /// Whether the program matches the whole text (`wholeText`) or somewhere in it.
    /// `stop` is asked every ~64k thread steps (a few milliseconds); when
    /// it says yes the answer is "no match" (the caller sees its own reason
    /// to stop next).
    func matches(_ text: UnsafeRawBufferPointer, wholeText: Bool, stop: (() -> Bool)? = nil) -> Bool {
        let count = program.instructions.count
        var current = ThreadList(capacity: count)
        var next = ThreadList(capacity: count)
        var stack: [Int] = []
        stack.reserveCapacity(16)
        var position = 0
        var work = 0
        var previous: UInt32? = nil
        var scalar = Self.decode(text, at: 0)
        addThread(&current, 0, previous: previous, next: scalar?.value, stack: &stack)
        while true {
            let following = scalar.flatMap { Self.decode(text, at: position + $0.length) }
            for pc in current.members {
                switch program.instructions[pc] {
                case .match:
                    if !wholeText || scalar == nil { return true }
                case .characters(let set):
                    if let scalar, program.sets[set].contains(scalar.value) {
                        addThread(&next, pc + 1, previous: scalar.value, next: following?.value, stack: &stack)
                    }
                case .split, .jump, .assertion, .save:
                    break
                }
            }
            guard let consumed = scalar else { return false }
            if let stop {
                work += current.members.count + 1
                if work >= 65_536 {
                    work = 0
                    if stop() { return false }
                }
            }
            position += consumed.length
            previous = consumed.value
            scalar = following
            swap(&current, &next)
            next.removeAll()
            if !wholeText {
                // Unanchored: a new attempt starts at every position.
                addThread(&current, 0, previous: previous, next: scalar?.value, stack: &stack)
            } else if current.members.isEmpty {
                return false
            }
        }
    }

    /// Adds `pc` and everything reachable from it without consuming a
    /// character; assertions are decided here, between `previous` and `next`.
    private func addThread(_ list: inout ThreadList, _ pc: Int, previous: UInt32?, next: UInt32?, stack: inout [Int]) {
        stack.append(pc)
        while let pc = stack.popLast() {
            guard list.insert(pc) else { continue }
            switch program.instructions[pc] {
            case .jump(let target): stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertion(let assertion):
                if assertion.holds(previous: previous, next: next) { stack.append(pc + 1) }
            case .save:
                stack.append(pc + 1)
            case .characters, .match:
                break
            }
        }
    }

    /// The scalar at `offset` and its length in bytes; nil at the end.
    static func decode(_ text: UnsafeRawBufferPointer, at offset: Int) -> (value: UInt32, length: Int)? {
        guard offset < text.count else { return nil }
        let first = UInt32(text[offset])
        if first < 0x80 { return (first, 1) }
        let length: Int
        var value: UInt32
        switch first {
        case 0xC2...0xDF: length = 2; value = first & 0x1F
        case 0xE0...0xEF: length = 3; value = first & 0x0F
        case 0xF0...0xF4: length = 4; value = first & 0x07
        default: return (0xFFFD, 1)
        }
        guard offset + length <= text.count else { return (0xFFFD, 1) }
        for index in 1..<length {
            let byte = UInt32(text[offset + index])
            guard byte & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            value = value << 6 | (byte & 0x3F)
        }
        // Overlong forms and surrogates are invalid.
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return (0xFFFD, 1) }
        return (value, length)
    }
}

/// A set of program positions in insertion order, with O(1) insert and
/// clear (the sparse-set trick from Briggs and Torczon).
struct ThreadList {
    private(set) var members: [Int] = []
    private var slots: [Int]

    init(capacity: Int) {
        slots = Array(repeating: 0, count: capacity)
        members.reserveCapacity(capacity)
    }

    /// False when `pc` is already present.
    mutating func insert(_ pc: Int) -> Bool {
        let slot = slots[pc]
        if slot < members.count, members[slot] == pc { return false }
        slots[pc] = members.count
        members.append(pc)
        return true
    }

    mutating func removeAll() { members.removeAll(keepingCapacity: true) }
}
