/// A compiled pattern: `RegexNode` flattened to `RegexInstruction`s.
/// Repetitions are expanded (`x{2,4}` is `x x x? x?`), so the program's
/// length bounds the matcher's work per character; patterns that would
/// exceed `maxInstructions` are refused when parsed.
struct RegexProgram: Sendable {
    static let maxInstructions = 20_000

    private(set) var instructions: [RegexInstruction] = []
    private(set) var sets: [RegexCharacterSet] = []
    /// Whether `save` instructions were emitted for capturing groups (only
    /// when submatches are wanted: matching alone does not need them).
    private(set) var recordsCaptures = false
    /// Capture slots: 2 per group plus 2 for the whole match (0 without captures).
    private(set) var slotCount = 0

    static func compile(_ node: RegexNode, captureGroups: Int? = nil) throws(RegexSyntaxError) -> RegexProgram {
        var program = RegexProgram()
        if let captureGroups {
            program.recordsCaptures = true
            program.slotCount = 2 * (captureGroups + 1)
            _ = try program.append(.save(0))
        }
        try program.emit(node)
        if program.recordsCaptures { _ = try program.append(.save(1)) }
        program.instructions.append(.match)
        return program
    }

    private mutating func append(_ instruction: RegexInstruction) throws(RegexSyntaxError) -> Int {
        guard instructions.count < Self.maxInstructions else {
            throw RegexSyntaxError(position: 0, message: "the pattern is too large once its repetitions are expanded (more than \(Self.maxInstructions) steps): use smaller counts in {m,n}")
        }
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
        switch node {
        case .empty:
            break
        case .characters(let set):
            let index: Int
            if let existing = sets.firstIndex(of: set) {
                index = existing
            } else {
                sets.append(set)
                index = sets.count - 1
            }
            _ = try append(.characters(index))
        case .assertion(let assertion):
            _ = try append(.assertion(assertion))
        case .concatenation(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            // split L1, next; L1: branch; jump end; next: split L2, … ; last branch
            var jumps: [Int] = []
            for (offset, branch) in branches.enumerated() {
                if offset == branches.count - 1 {
                    try emit(branch)
                } else {
                    let split = try append(.split(0, 0))
                    try emit(branch)
                    jumps.append(try append(.jump(0)))
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for jump in jumps { instructions[jump] = .jump(instructions.count) }
        case .capture(let inner, let index):
            guard recordsCaptures else { return try emit(inner) }
            _ = try append(.save(2 * index))
            try emit(inner)
            _ = try append(.save(2 * index + 1))
        case .repetition(let inner, let minimum, let maximum, let greedy):
            // A split's first target is the preferred one: the body when
            // greedy, the exit when lazy (it only matters for submatches).
            func split(body: Int, exit: Int) -> RegexInstruction {
                greedy ? .split(body, exit) : .split(exit, body)
            }
            for _ in 0..<minimum { try emit(inner) }
            if let maximum {
                // Optional copies, each skipping to the end: x? x? …
                var splits: [Int] = []
                for _ in minimum..<maximum {
                    splits.append(try append(.split(0, 0)))
                    try emit(inner)
                }
                for index in splits { instructions[index] = split(body: index + 1, exit: instructions.count) }
            } else {
                // L: split body, end; body; jump L
                let index = try append(.split(0, 0))
                try emit(inner)
                _ = try append(.jump(index))
                instructions[index] = split(body: index + 1, exit: instructions.count)
            }
        }
    }
}
