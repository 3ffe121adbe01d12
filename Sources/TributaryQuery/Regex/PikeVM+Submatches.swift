/// Leftmost-first submatches, as RE2 and Go's `regexp.FindSubmatch` report
/// them: each thread carries its capture slots, threads are kept in
/// priority order (a split's first target before its second, earlier
/// starts before later ones), and once a thread matches every thread of
/// lower priority is dropped. Still one pass: work is at most
/// characters × instructions × slots.
extension PikeVM {
    /// The byte offsets of the first match and of each group in it
    /// (`slots[2i] ..< slots[2i+1]` for group i, group 0 the whole match,
    /// -1 when a group did not take part); nil when nothing matches.
    /// The program must have been compiled with `captureGroups`.
    func submatches(_ text: UnsafeRawBufferPointer) -> [Int]? {
        let slotCount = program.slotCount
        precondition(program.recordsCaptures, "BUG: submatches asked of a program compiled without capture slots")
        let count = program.instructions.count
        var current = CaptureThreadList(capacity: count, slotCount: slotCount)
        var next = CaptureThreadList(capacity: count, slotCount: slotCount)
        var scratch = [Int](repeating: -1, count: slotCount)
        let empty = scratch
        var stack: [CaptureWork] = []
        stack.reserveCapacity(16)
        var matched: [Int]? = nil
        var position = 0
        var previous: UInt32? = nil
        var scalar = Self.decode(text, at: 0)
        while true {
            if matched == nil {
                // A new attempt at this position, after (below) every thread already running.
                scratch = empty
                addCaptureThread(&current, 0, position: position, previous: previous, next: scalar?.value, scratch: &scratch, stack: &stack)
            }
            if current.isEmpty { break }
            let following = scalar.flatMap { Self.decode(text, at: position + $0.length) }
            let nextPosition = position + (scalar?.length ?? 0)
            threads: for member in 0..<current.memberCount {
                let pc = current.pc(at: member)
                switch program.instructions[pc] {
                case .match:
                    matched = current.slots(at: member)
                    // Threads after this one have lower priority: cut them.
                    break threads
                case .characters(let set):
                    if let scalar, program.sets[set].contains(scalar.value) {
                        current.copySlots(at: member, into: &scratch)
                        addCaptureThread(&next, pc + 1, position: nextPosition, previous: scalar.value, next: following?.value, scratch: &scratch, stack: &stack)
                    }
                case .split, .jump, .assertion, .save:
                    break
                }
            }
            guard let consumed = scalar else { break }
            position += consumed.length
            previous = consumed.value
            scalar = following
            swap(&current, &next)
            next.removeAll()
        }
        return matched
    }

    /// Adds `pc` and what it reaches without consuming, in priority order,
    /// recording `position` in slots on the way (`scratch` is restored).
    private func addCaptureThread(_ list: inout CaptureThreadList, _ pc: Int, position: Int, previous: UInt32?, next: UInt32?,
                                  scratch: inout [Int], stack: inout [CaptureWork]) {
        stack.append(.visit(pc))
        while let work = stack.popLast() {
            switch work {
            case .restore(let slot, let value):
                scratch[slot] = value
            case .visit(let pc):
                guard list.insert(pc, slots: scratch) else { continue }
                switch program.instructions[pc] {
                case .jump(let target): stack.append(.visit(target))
                case .split(let first, let second):
                    stack.append(.visit(second))
                    stack.append(.visit(first))
                case .assertion(let assertion):
                    if assertion.holds(previous: previous, next: next) { stack.append(.visit(pc + 1)) }
                case .save(let slot):
                    stack.append(.restore(slot, scratch[slot]))
                    scratch[slot] = position
                    stack.append(.visit(pc + 1))
                case .characters, .match:
                    break
                }
            }
        }
    }
}
