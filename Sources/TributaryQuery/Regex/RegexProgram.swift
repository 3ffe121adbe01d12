/// A compiled pattern: `RegexNode` flattened to `RegexInstruction`s.
/// Repetitions are expanded (`x{2,4}` is `x x x? x?`), so the program's
/// length bounds the matcher's work per character; patterns that would
/// exceed `maxInstructions` are refused when parsed.
struct RegexProgram: Sendable {
    static let maxInstructions = 20_000

    private(set) var instructions: [RegexInstruction] = []
    private(set) var sets: [RegexCharacterSet] = []

    static func compile(_ node: RegexNode) throws(RegexSyntaxError) -> RegexProgram {
        var program = RegexProgram()
        try program.emit(node)
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
        case .repetition(let inner, let minimum, let maximum):
            for _ in 0..<minimum { try emit(inner) }
            if let maximum {
                // Optional copies, each skipping to the end: x? x? …
                var splits: [Int] = []
                for _ in minimum..<maximum {
                    splits.append(try append(.split(0, 0)))
                    try emit(inner)
                }
                for split in splits { instructions[split] = .split(split + 1, instructions.count) }
            } else {
                // L: split body, end; body; jump L
                let split = try append(.split(0, 0))
                try emit(inner)
                _ = try append(.jump(split))
                instructions[split] = .split(split + 1, instructions.count)
            }
        }
    }
}
