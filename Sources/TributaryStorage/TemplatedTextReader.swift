import NIOCore
import TributaryWire

/// Reads a templated text section (`TemplatedTextWriter`) back into the
/// chunk's messages, byte for byte. With `pieces`, only lines that may
/// hold every piece are rebuilt: templates and dictionary strings are
/// tested once each, numbers are formatted only for lines whose template
/// leaves a piece unfound, and the others come back as nil.
///
/// Every count and index is checked against what the section holds: a
/// damaged section throws, it never traps or allocates beyond its size.
struct TemplatedTextReader {
    private struct Token {
        let isVariable: Bool
        let bytes: ByteBuffer
    }

    private struct Template {
        let tokens: [Token]
        let variables: Int
        let slotBase: Int
        /// Which separators each of the template's lines has.
        var separatorRefs: ByteBuffer
    }

    /// One variable of the line being decoded.
    private enum Value {
        case string(Int)
        case numeric(shape: Int, numbers: Range<Int>)
    }

    static func decode(_ section: inout ByteBuffer, pieces: SubstringPieces?) throws(TemplatedTextError) -> [ByteBuffer?] {
        let limit = section.readableBytes
        // Templates make lines several times their stored size, never this much.
        let maxRebuiltBytes = max(limit * 256, 64 << 20)
        let messageCount = try readCount(&section, limit: limit)
        var templates: [Template] = []
        var slots = 0
        for _ in 0..<(try readCount(&section, limit: limit)) {
            var tokens: [Token] = []
            var variables = 0
            for _ in 0..<(try readCount(&section, limit: 1024)) {
                guard let flag = section.readInteger(as: UInt8.self), flag <= 1 else { throw .malformed("a template token has no valid kind") }
                tokens.append(Token(isVariable: flag == 1, bytes: try readBytes(&section)))
                if flag == 1 { variables += 1 }
            }
            templates.append(Template(tokens: tokens, variables: variables, slotBase: slots, separatorRefs: try readBytes(&section)))
            slots += variables
        }
        var separators: [[ByteBuffer]] = []
        for _ in 0..<(try readCount(&section, limit: limit)) {
            var list: [ByteBuffer] = []
            for _ in 0..<(try readCount(&section, limit: 1025)) { list.append(try readBytes(&section)) }
            separators.append(list)
        }
        var shapes: [(shape: ByteBuffer, numbers: Int)] = []
        for _ in 0..<(try readCount(&section, limit: limit)) {
            let shape = try readBytes(&section)
            guard let count = NumericShape.numberCount(of: shape) else { throw .malformed("a numeric shape is malformed") }
            shapes.append((shape, count))
        }
        guard try readCount(&section, limit: limit) == slots else { throw .malformed("the slots do not match the templates") }
        // Every slot's strings in one array, and its number streams in another.
        var strings: [ByteBuffer] = []
        var slotStrings: [(first: Int, count: Int)] = []
        var slotKinds: [ByteBuffer] = []
        var slotStringRefs: [ByteBuffer] = []
        var streams: [NumberStream] = []
        var slotStreams: [(first: Int, count: Int)] = []
        for _ in 0..<slots {
            let count = try readCount(&section, limit: limit)
            slotStrings.append((strings.count, count))
            for _ in 0..<count { strings.append(try readBytes(&section)) }
            slotKinds.append(try readBytes(&section))
            slotStringRefs.append(try readBytes(&section))
            let runs = try readCount(&section, limit: NumericShape.maxNumbers)
            slotStreams.append((streams.count, runs))
            for _ in 0..<runs {
                guard let coding = section.readInteger(as: UInt8.self), coding <= 1 else { throw .malformed("a number stream has no valid coding") }
                streams.append(NumberStream(differences: coding == 1, bytes: try readBytes(&section)))
            }
        }
        var slotNextNew = Array(repeating: 0, count: slots)
        var lines = try readBytes(&section)
        var rawLengths = try readBytes(&section)
        var rawText = section
        section.moveReaderIndex(to: section.writerIndex)

        // What each template, dictionary string and numeric shape holds of
        // the pieces, worked out once (see `CandidateMasks`).
        let masks = pieces.map { CandidateMasks($0, templates: templates.map { $0.tokens.map { ($0.isVariable, $0.bytes) } }, slotStrings: slotStrings, strings: strings,
                                                 shapes: shapes.map(\.shape)) }

        var messages: [ByteBuffer?] = Array(repeating: nil, count: messageCount)
        var rebuilt: [(index: Int, start: Int, length: Int)] = []
        var out = ByteBuffer()
        out.reserveCapacity(pieces == nil ? limit * 2 : 0)
        var scratch = ByteBuffer()
        var numbers: [UInt64] = []
        var values: [Value] = []
        for index in 0..<messageCount {
            let reference = try readCount(&lines, limit: templates.count)
            if reference == 0 {
                guard let line = rawText.readSlice(length: try readCount(&rawLengths, limit: rawText.readableBytes)) else {
                    throw .malformed("raw text ends early")
                }
                if let pieces, pieces.mask(in: line) != pieces.all { continue }
                messages[index] = line
                continue
            }
            let template = templates[reference - 1]
            // A template whose lines cannot hold every piece: its columns
            // (its own slots) are left unread.
            if let masks, !masks.templateMayMatch[reference - 1] { continue }
            let separatorRef = try readCount(&templates[reference - 1].separatorRefs, limit: separators.count)
            let lineSeparators = separatorRef == 0 ? nil : separators[separatorRef - 1]
            if let lineSeparators, lineSeparators.count != template.tokens.count + 1 {
                throw .malformed("separators do not fit their template")
            }
            numbers.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            for ordinal in 0..<template.variables {
                let slot = template.slotBase + ordinal
                let kind = try readCount(&slotKinds[slot], limit: shapes.count)
                if kind == 0 {
                    let reference = try readCount(&slotStringRefs[slot], limit: slotStrings[slot].count)
                    let entry: Int
                    if reference == 0 {
                        entry = slotNextNew[slot]
                        guard entry < slotStrings[slot].count else { throw .malformed("a slot has fewer strings than its lines use") }
                        slotNextNew[slot] += 1
                    } else {
                        entry = reference - 1
                    }
                    values.append(.string(slotStrings[slot].first + entry))
                } else {
                    let shape = kind - 1
                    let count = shapes[shape].numbers
                    guard count <= slotStreams[slot].count else { throw .malformed("a shape needs more number streams than its slot has") }
                    let first = numbers.count
                    for run in 0..<count {
                        numbers.append(try streams[slotStreams[slot].first + run].next())
                    }
                    values.append(.numeric(shape: shape, numbers: first..<numbers.count))
                }
            }
            if let pieces, let masks {
                var mask = masks.literal[reference - 1]
                for (ordinal, value) in values.enumerated() where mask != pieces.all {
                    mask |= masks.span[template.slotBase + ordinal]
                    switch value {
                    case .string(let entry):
                        mask |= masks.string[entry]
                    case .numeric(let shape, let range):
                        // Formatted only when the shape's bytes could spell a missing piece.
                        guard masks.shape[shape] & ~mask != 0 else { continue }
                        scratch.clear()
                        try NumericShape.rebuild(shapes[shape].shape, numbers: numbers[range], into: &scratch)
                        mask |= pieces.mask(in: scratch)
                    }
                }
                if mask != pieces.all { continue }
            }
            let start = out.writerIndex
            var next = 0
            for (position, token) in template.tokens.enumerated() {
                if let lineSeparators {
                    out.writeImmutableBuffer(lineSeparators[position])
                } else if position > 0 {
                    out.writeInteger(UInt8(0x20))
                }
                out.writeImmutableBuffer(token.bytes)
                guard token.isVariable else { continue }
                switch values[next] {
                case .string(let entry): out.writeImmutableBuffer(strings[entry])
                case .numeric(let shape, let range): try NumericShape.rebuild(shapes[shape].shape, numbers: numbers[range], into: &out)
                }
                next += 1
            }
            // The last separator (the only one of a line without tokens).
            if let lineSeparators { out.writeImmutableBuffer(lineSeparators[template.tokens.count]) }
            rebuilt.append((index, start, out.writerIndex - start))
            guard out.writerIndex <= maxRebuiltBytes else { throw .malformed("the lines would rebuild to more than \(maxRebuiltBytes) bytes") }
        }
        // The columns of templates left unread are not checked (the chunk's checksum covers them).
        let read = masks?.templateMayMatch ?? Array(repeating: true, count: templates.count)
        let slotRead = templates.indices.flatMap { Array(repeating: read[$0], count: templates[$0].variables) }
        guard lines.readableBytes == 0, templates.indices.allSatisfy({ !read[$0] || templates[$0].separatorRefs.readableBytes == 0 }),
              rawLengths.readableBytes == 0, rawText.readableBytes == 0,
              (0..<slots).allSatisfy({ slot in
                  !slotRead[slot] || (slotKinds[slot].readableBytes == 0 && slotStringRefs[slot].readableBytes == 0
                      && streams[slotStreams[slot].first..<slotStreams[slot].first + slotStreams[slot].count].allSatisfy { $0.bytes.readableBytes == 0 })
              })
        else { throw .malformed("columns hold more than the lines use") }
        for line in rebuilt {
            messages[line.index] = out.getSlice(at: line.start, length: line.length)
        }
        return messages
    }

    /// One digit run of one slot: its numbers in line order.
    private struct NumberStream {
        let differences: Bool
        var bytes: ByteBuffer
        var previous: UInt64 = 0

        init(differences: Bool, bytes: ByteBuffer) {
            self.differences = differences
            self.bytes = bytes
        }

        mutating func next() throws(TemplatedTextError) -> UInt64 {
            do {
                if differences {
                    previous = previous &+ UInt64(bitPattern: try bytes.readWireSVarint())
                } else {
                    previous = try bytes.readWireVarint()
                }
            } catch {
                throw .malformed("a number stream ends early")
            }
            return previous
        }
    }

    /// A varint that must be at most `limit`.
    private static func readCount(_ buffer: inout ByteBuffer, limit: Int) throws(TemplatedTextError) -> Int {
        let value: UInt64
        do { value = try buffer.readWireVarint() } catch { throw .malformed("a count or index is missing") }
        guard limit >= 0, value <= UInt64(limit) else { throw .malformed("a count or index (\(value)) is out of range (at most \(limit))") }
        return Int(value)
    }

    private static func readBytes(_ buffer: inout ByteBuffer) throws(TemplatedTextError) -> ByteBuffer {
        do { return try buffer.readWireBytes(limit: buffer.readableBytes) } catch { throw .malformed("a length-prefixed part ends early") }
    }
}
