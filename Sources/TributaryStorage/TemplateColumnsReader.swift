import NIOCore
import TributaryWire

/// Reads a mode-3 section (`TemplateColumnsWriter`) back into the chunk's
/// messages, byte for byte. With `pieces`, only lines that may hold every
/// piece are rebuilt, as `TemplatedTextReader` does for mode 2: templates
/// and dictionary strings are tested once each, numbers are formatted only
/// for lines whose template leaves a piece unfound, and the others come
/// back as nil.
///
/// Every count and index is checked against what the section holds: a
/// damaged section throws, it never traps or allocates beyond its size.
enum TemplateColumnsReader {
    private struct Token {
        let isVariable: Bool
        let bytes: ByteBuffer
    }

    private struct Template {
        let tokens: [Token]
        /// The column of each variable (`TemplatePrefixColumns`).
        let columns: [Int]
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
        var prefixColumns = TemplatePrefixColumns()
        for _ in 0..<(try readCount(&section, limit: limit)) {
            var tokens: [Token] = []
            for _ in 0..<(try readCount(&section, limit: 1024)) {
                guard let flag = section.readInteger(as: UInt8.self), flag <= 1 else { throw .malformed("a template token has no valid kind") }
                tokens.append(Token(isVariable: flag == 1, bytes: try readBytes(&section)))
            }
            templates.append(Template(tokens: tokens, columns: prefixColumns.columns(of: tokens.map { (isVariable: $0.isVariable, bytes: Array($0.bytes.readableBytesView)) })))
        }
        var separators: [[ByteBuffer]] = []
        for _ in 0..<(try readCount(&section, limit: limit)) {
            var list: [ByteBuffer] = []
            for _ in 0..<(try readCount(&section, limit: 1025)) { list.append(try readBytes(&section)) }
            separators.append(list)
        }
        var lineKinds: [(template: Int, separators: Int)] = []
        for _ in 0..<(try readCount(&section, limit: limit)) {
            let template = try readCount(&section, limit: templates.count - 1)
            let separatorsRef = try readCount(&section, limit: separators.count)
            if separatorsRef > 0, separators[separatorsRef - 1].count != templates[template].tokens.count + 1 {
                throw .malformed("separators do not fit their template")
            }
            lineKinds.append((template, separatorsRef))
        }
        var shapes: [(shape: ByteBuffer, numbers: Int)] = []
        for _ in 0..<(try readCount(&section, limit: limit)) {
            let shape = try readBytes(&section)
            guard let count = NumericShape.numberCount(of: shape) else { throw .malformed("a numeric shape is malformed") }
            shapes.append((shape, count))
        }
        let columnCount = prefixColumns.count
        var lines = try readBytes(&section)
        var kinds: [ByteBuffer] = []
        var stringRefs: [ByteBuffer] = []
        var copies: [ByteBuffer] = []
        for _ in 0..<columnCount { kinds.append(try readBytes(&section)) }
        for _ in 0..<columnCount { stringRefs.append(try readBytes(&section)) }
        for _ in 0..<columnCount { copies.append(try readBytes(&section)) }
        // Every column's strings in one array, and its number streams in another.
        var strings: [ByteBuffer] = []
        var columnStrings: [(first: Int, count: Int)] = []
        for _ in 0..<columnCount {
            let count = try readCount(&section, limit: limit)
            columnStrings.append((strings.count, count))
            for _ in 0..<count { strings.append(try readBytes(&section)) }
        }
        var streams: [NumberStreamReader] = []
        var columnStreams: [(first: Int, count: Int)] = []
        for _ in 0..<columnCount {
            let count = try readCount(&section, limit: NumericShape.maxNumbers)
            columnStreams.append((streams.count, count))
            for _ in 0..<count {
                guard let raw = section.readInteger(as: UInt8.self), let coding = NumberStreamCoding(rawValue: raw) else {
                    throw .malformed("a number stream has no valid coding")
                }
                var width = 0
                if coding == .fixedWidth || coding == .bytePlanes {
                    guard let stored = section.readInteger(as: UInt8.self) else { throw .malformed("a number stream has no width") }
                    width = Int(stored)
                }
                streams.append(try NumberStreamReader(coding: coding, width: width, bytes: try readBytes(&section)))
            }
        }
        var rawLengths = try readBytes(&section)
        var rawText = section
        section.moveReaderIndex(to: section.writerIndex)

        // What each template and string holds of the pieces, worked out once.
        var literalMasks: [UInt64] = []
        var spanMasks: [[UInt64]] = []
        var stringMasks: [UInt64?] = []
        if let pieces {
            for template in templates {
                var mask: UInt64 = 0
                var spans: [UInt64] = []
                for token in template.tokens {
                    mask |= pieces.mask(in: token.bytes)
                    if token.isVariable { spans.append(pieces.spanning(prefix: token.bytes)) }
                }
                literalMasks.append(mask)
                spanMasks.append(spans)
            }
            stringMasks = Array(repeating: nil, count: strings.count)
        }

        var nextNewString = Array(repeating: 0, count: columnCount)
        var messages: [ByteBuffer?] = Array(repeating: nil, count: messageCount)
        var rebuilt: [(index: Int, start: Int, length: Int)] = []
        var out = ByteBuffer()
        out.reserveCapacity(pieces == nil ? limit * 2 : 0)
        var scratch = ByteBuffer()
        var numbers: [UInt64] = []
        var values: [Value] = []
        for index in 0..<messageCount {
            let reference = try readCount(&lines, limit: lineKinds.count)
            if reference == 0 {
                guard let line = rawText.readSlice(length: try readCount(&rawLengths, limit: rawText.readableBytes)) else {
                    throw .malformed("raw text ends early")
                }
                if let pieces, pieces.mask(in: line) != pieces.all { continue }
                messages[index] = line
                continue
            }
            let lineKind = lineKinds[reference - 1]
            let template = templates[lineKind.template]
            let lineSeparators = lineKind.separators == 0 ? nil : separators[lineKind.separators - 1]
            numbers.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            for (ordinal, column) in template.columns.enumerated() {
                let kind = try readCount(&kinds[column], limit: shapes.count + 1)
                switch kind {
                case 0:
                    let reference = try readCount(&stringRefs[column], limit: columnStrings[column].count)
                    let entry: Int
                    if reference == 0 {
                        entry = nextNewString[column]
                        guard entry < columnStrings[column].count else { throw .malformed("a column has fewer strings than its lines use") }
                        nextNewString[column] += 1
                    } else {
                        entry = reference - 1
                    }
                    values.append(.string(columnStrings[column].first + entry))
                case 1:
                    let distance = try readCount(&copies[column], limit: ordinal - 1) + 1
                    values.append(values[ordinal - distance])
                default:
                    let shape = kind - 2
                    let count = shapes[shape].numbers
                    guard count <= columnStreams[column].count else { throw .malformed("a shape needs more number streams than its column has") }
                    let start = numbers.count
                    for run in 0..<count {
                        numbers.append(try streams[columnStreams[column].first + run].next())
                    }
                    values.append(.numeric(shape: shape, numbers: start..<numbers.count))
                }
            }
            if let pieces {
                var mask = literalMasks[lineKind.template]
                for (ordinal, value) in values.enumerated() where mask != pieces.all {
                    mask |= spanMasks[lineKind.template][ordinal]
                    switch value {
                    case .string(let entry):
                        if let known = stringMasks[entry] {
                            mask |= known
                        } else {
                            let found = pieces.mask(in: strings[entry])
                            stringMasks[entry] = found
                            mask |= found
                        }
                    case .numeric(let shape, let range):
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
        guard lines.readableBytes == 0, rawLengths.readableBytes == 0, rawText.readableBytes == 0,
              streams.allSatisfy(\.isExhausted), kinds.allSatisfy({ $0.readableBytes == 0 }),
              stringRefs.allSatisfy({ $0.readableBytes == 0 }), copies.allSatisfy({ $0.readableBytes == 0 })
        else { throw .malformed("columns hold more than the lines use") }
        for line in rebuilt {
            messages[line.index] = out.getSlice(at: line.start, length: line.length)
        }
        return messages
    }

    /// A varint that must be at most `limit` (a negative limit allows nothing).
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
