import NIOCore
import TributaryCompression
import TributaryPatterns
import TributaryWire

/// Writes the messages of one chunk as templates and value columns (chunk
/// mode 3, block version 3), the successor of `TemplatedTextWriter`'s mode 2.
///
/// ```
/// section   := varint messages
///              | varint T, template*     template := varint n, (u8 variable? | varint len | bytes)*
///              | varint S, separators*   separators := varint n+1, (varint len | bytes)*
///              | varint K, line kind*    line kind := varint template | varint separators (0: the usual)
///              | varint P, (varint len | bytes)*     numeric shapes (NumericShape)
///              | column lines            varint per message: 0 = stored as it is, k = line kind k-1
///              | column kinds ×C | column string refs ×C | column copies ×C
///              | (varint D, (varint len | bytes)*) ×C    each column's strings, in first-use order
///              | (varint N, stream*) ×C  number streams (NumberStreamCoding), one per digit run
///              | column raw lengths | raw text
/// column    := varint length | bytes
/// ```
/// What mode 2 did per template variable, mode 3 does per column, and a
/// column is shared by every template variable that follows the same
/// template prefix (`TemplatePrefixColumns`, C columns in all, derived
/// from the templates by writer and reader alike): the header fields of a log (date, time, host, thread)
/// are one column each whatever the message, so their numbers are told as
/// differences along the whole chunk and their strings share a dictionary.
/// A value repeating an earlier variable of its line is a copy (`ValueColumn`).
/// Each number stream is stored in the coding that deflates smallest
/// (`NumberStreamCoding`).
///
/// Alike bytes are written together (all kinds, all references, all
/// dictionaries, all numbers) and the writer marks where deflate should
/// start a new block (`Deflater.compress(_:blocks:)`): large columns get
/// Huffman codes of their own instead of sharing one table with
/// different bytes. Lines are rebuilt as in mode 2; a line that fits no
/// template or would not rebuild byte for byte is stored as it is.
enum TemplateColumnsWriter {
    /// A part at least this large starts a deflate block of its own.
    static let blockBytes = 1024

    static func write(_ messages: [ByteBuffer], into raw: inout ByteBuffer, blocks: inout [Deflater.Block]) {
        let miner = TemplateMiner()
        for message in messages {
            message.withUnsafeReadableBytes { _ = miner.learn(TemplatedTextWriter.bytes($0)) }
        }
        var state = State()
        for message in messages {
            let encoded: EncodedLine? = message.withUnsafeReadableBytes { buffer in
                let line = TemplatedTextWriter.bytes(buffer)
                guard let encoded = miner.match(line), TemplatedTextWriter.rebuilds(encoded, line) else { return nil }
                return encoded
            }
            if let encoded {
                state.append(encoded)
            } else {
                state.lines.writeVarint(0)
                state.rawLengths.writeVarint(message.readableBytes)
                state.rawText.writeImmutableBuffer(message)
            }
        }
        state.write(messageCount: messages.count, into: &raw, blocks: &blocks)
    }

    /// Templates, columns and dictionaries being gathered.
    private struct State {
        var templates: [LogTemplate] = []
        /// Per template, the column of each of its variables.
        var templateColumns: [[Int]] = []
        var localIndex: [UInt64: Int] = [:]
        var prefixColumns = TemplatePrefixColumns()
        var columns: [ValueColumn] = []
        var separators: [[[UInt8]]] = []
        var separatorIndex: [[[UInt8]]: Int] = [:]
        var lineKinds: [(template: Int, separators: Int)] = []
        var lineKindIndex: [Int: Int] = [:]
        var lines = ByteBuffer()
        var rawLengths = ByteBuffer()
        var rawText = ByteBuffer()

        mutating func append(_ encoded: EncodedLine) {
            let local = localTemplate(encoded.template)
            var separatorsRef = 0
            if let line = encoded.separators {
                if let known = separatorIndex[line] {
                    separatorsRef = known + 1
                } else {
                    separatorIndex[line] = separators.count
                    separators.append(line)
                    separatorsRef = separators.count
                }
            }
            let key = local << 32 | separatorsRef
            let kind: Int
            if let known = lineKindIndex[key] {
                kind = known
            } else {
                kind = lineKinds.count
                lineKindIndex[key] = kind
                lineKinds.append((local, separatorsRef))
            }
            lines.writeVarint(kind + 1)
            let variables = encoded.variables
            for (ordinal, value) in variables.enumerated() {
                columns[templateColumns[local][ordinal]].entries.append(entry(value, ordinal: ordinal, in: variables))
            }
        }

        /// A copy when the value (of two bytes or more) repeats an earlier variable of the line.
        private func entry(_ value: [UInt8], ordinal: Int, in variables: [[UInt8]]) -> ValueColumn.Entry {
            guard value.count >= 2, ordinal > 0 else { return .value(value) }
            for earlier in stride(from: ordinal - 1, through: 0, by: -1) where variables[earlier] == value {
                return .copy(distance: ordinal - earlier)
            }
            return .value(value)
        }

        /// The template's index in the chunk, adding it (and columns for
        /// variables after a prefix no earlier template had) when new.
        private mutating func localTemplate(_ template: LogTemplate) -> Int {
            if let known = localIndex[template.id] { return known }
            let local = templates.count
            templates.append(template)
            localIndex[template.id] = local
            let ofTemplate = prefixColumns.columns(of: template.tokens.map { (isVariable: $0.isVariable, bytes: $0.bytes) })
            columns += Array(repeating: ValueColumn(), count: prefixColumns.count - columns.count)
            templateColumns.append(ofTemplate)
            return local
        }

        func write(messageCount: Int, into raw: inout ByteBuffer, blocks: inout [Deflater.Block]) {
            raw.writeVarint(messageCount)
            raw.writeVarint(templates.count)
            for template in templates {
                raw.writeVarint(template.tokens.count)
                for token in template.tokens {
                    raw.writeInteger(UInt8(token.isVariable ? 1 : 0))
                    raw.writeWireBytes(token.bytes)
                }
            }
            raw.writeVarint(separators.count)
            for list in separators {
                raw.writeVarint(list.count)
                for separator in list { raw.writeWireBytes(separator) }
            }
            raw.writeVarint(lineKinds.count)
            for kind in lineKinds {
                raw.writeVarint(kind.template)
                raw.writeVarint(kind.separators)
            }
            var scratch = ByteBuffer()
            let trial = Deflater(level: .smallest, format: .raw)
            var shapes = ValueColumn.Shapes()
            let encoded = columns.map { $0.encode(shapes: &shapes) }
            raw.writeVarint(shapes.list.count)
            for shape in shapes.list { raw.writeWireBytes(shape) }
            var blockStart = 0
            /// Writes one part, ending a deflate block before and after it when it is large.
            func part(_ write: (inout ByteBuffer) -> Void) {
                let start = raw.writerIndex - raw.readerIndex
                write(&raw)
                let end = raw.writerIndex - raw.readerIndex
                if end - start >= TemplateColumnsWriter.blockBytes {
                    if start > blockStart { blocks.append(Deflater.Block(end: start)) }
                    blocks.append(Deflater.Block(end: end))
                    blockStart = end
                } else if end - blockStart >= TemplateColumnsWriter.blockBytes {
                    blocks.append(Deflater.Block(end: end))
                    blockStart = end
                }
            }
            part { $0.writeWireBytes(lines) }
            for column in encoded { part { $0.writeWireBytes(column.kinds) } }
            for column in encoded { part { $0.writeWireBytes(column.stringRefs) } }
            for column in encoded { part { $0.writeWireBytes(column.copies) } }
            for column in encoded {
                part { raw in
                    raw.writeVarint(column.strings.count)
                    for string in column.strings { raw.writeWireBytes(string) }
                }
            }
            for column in encoded {
                part { $0.writeVarint(column.streams.count) }
                for stream in column.streams {
                    part { NumberStreamCoding.write(stream, into: &$0, scratch: &scratch, trial: trial) }
                }
            }
            part { $0.writeWireBytes(rawLengths) }
            part { $0.writeImmutableBuffer(rawText) }
        }
    }
}
