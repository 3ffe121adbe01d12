import NIOCore
import TributaryPatterns
import TributaryWire

/// Writes the messages of one chunk as templates and typed columns (chunk
/// mode 2, see `BlockWriter`), the way CLP stores logs: most of a log line
/// is its template, stored once per chunk; what varies is kept in columns
/// that compress far better than the lines themselves.
///
/// ```
/// section   := varint messages
///              | varint T, template*      template := varint n, (u8 variable? | varint len | bytes)*
///              | varint S, separators*    separators := varint n+1, (varint len | bytes)*
///              | varint D, (varint len | bytes)*     strings (variable values)
///              | varint P, (varint len | bytes)*     numeric shapes (NumericShape)
///              | column lines | column separators | column kinds | column strings
///              | column shapes | column numbers | column raw lengths | raw text
/// column    := varint length | bytes
/// lines      : varint per message: 0 = stored as it is, t = template t-1
/// separators : varint per templated line: 0 = the usual (one space between
///              tokens, none around), s = separators s-1
/// kinds      : u8 per variable: 0 = a string (its index in strings),
///              1 = numeric (its shape's index, then one number per digit run)
/// numbers    : svarint per digit run: the difference to the number at the
///              same run of the same variable of the previous line of the
///              template (0 before the first)
/// raw text   : the lines stored as they are, back to back
/// ```
/// A line is rebuilt as `sep₀ tok₁ sep₁ … tokₙ sepₙ`, each variable token
/// being its literal prefix (`user=`) then its value. Templates come from
/// `TemplateMiner` (shared with log patterns): it learns every message of
/// the chunk first, then each message is matched against the final
/// templates, so the result depends only on the messages and their order
/// (sealed blocks stay canonical and replicas' digests equal). A message
/// whose encoding does not rebuild it byte for byte, or that fits no
/// template, is stored as it is.
///
/// The whole section is one part of a chunk and compressed with it: the
/// columns follow one another, so deflate (32 KiB window, a Huffman table
/// per block) compresses each mostly on its own.
enum TemplatedTextWriter {
    static func write(_ messages: [ByteBuffer], into raw: inout ByteBuffer) {
        let miner = TemplateMiner()
        for message in messages {
            message.withUnsafeReadableBytes { _ = miner.learn(Self.bytes($0)) }
        }
        var state = State()
        for message in messages {
            let encoded: EncodedLine? = message.withUnsafeReadableBytes { buffer in
                let line = Self.bytes(buffer)
                guard let encoded = miner.match(line), Self.rebuilds(encoded, line) else { return nil }
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
        raw.writeVarint(messages.count)
        raw.writeVarint(state.templates.count)
        for template in state.templates {
            raw.writeVarint(template.tokens.count)
            for token in template.tokens {
                raw.writeInteger(UInt8(token.isVariable ? 1 : 0))
                raw.writeWireBytes(token.bytes)
            }
        }
        raw.writeVarint(state.separators.count)
        for separators in state.separators {
            raw.writeVarint(separators.count)
            for separator in separators { raw.writeWireBytes(separator) }
        }
        for dictionary in [state.strings, state.shapes] {
            raw.writeVarint(dictionary.count)
            for entry in dictionary { raw.writeWireBytes(entry) }
        }
        for column in [state.lines, state.separatorRefs, state.kinds, state.stringRefs, state.shapeRefs, state.numbers, state.rawLengths] {
            raw.writeWireBytes(column)
        }
        raw.writeImmutableBuffer(state.rawText)
    }

    /// The columns and dictionaries being built.
    private struct State {
        var templates: [LogTemplate] = []
        var localIndex: [UInt64: Int] = [:]
        /// The first variable slot of each template; a slot is one variable
        /// position of one template, whose numbers are delta-coded.
        var slotBase: [Int] = []
        var lastNumbers: [[UInt64]] = []
        var separators: [[[UInt8]]] = []
        var separatorIndex: [[[UInt8]]: Int] = [:]
        var strings: [[UInt8]] = []
        var stringIndex: [[UInt8]: Int] = [:]
        var shapes: [[UInt8]] = []
        var shapeIndex: [[UInt8]: Int] = [:]
        var lines = ByteBuffer()
        var separatorRefs = ByteBuffer()
        var kinds = ByteBuffer()
        var stringRefs = ByteBuffer()
        var shapeRefs = ByteBuffer()
        var numbers = ByteBuffer()
        var rawLengths = ByteBuffer()
        var rawText = ByteBuffer()
        var shape: [UInt8] = []
        var digits: [UInt64] = []

        mutating func append(_ encoded: EncodedLine) {
            let local: Int
            if let known = localIndex[encoded.template.id] {
                local = known
            } else {
                local = templates.count
                templates.append(encoded.template)
                localIndex[encoded.template.id] = local
                slotBase.append(lastNumbers.count)
                lastNumbers += Array(repeating: [], count: encoded.variables.count)
            }
            lines.writeVarint(local + 1)
            if let line = encoded.separators {
                if let known = separatorIndex[line] {
                    separatorRefs.writeVarint(known + 1)
                } else {
                    separatorIndex[line] = separators.count
                    separators.append(line)
                    separatorRefs.writeVarint(separators.count)
                }
            } else {
                separatorRefs.writeVarint(0)
            }
            for (ordinal, value) in encoded.variables.enumerated() {
                let numeric = value.withUnsafeBufferPointer { NumericShape.split($0, shape: &shape, numbers: &digits) }
                guard numeric else {
                    kinds.writeInteger(UInt8(0))
                    stringRefs.writeVarint(Self.index(of: value, in: &strings, &stringIndex))
                    continue
                }
                kinds.writeInteger(UInt8(1))
                shapeRefs.writeVarint(Self.index(of: shape, in: &shapes, &shapeIndex))
                let slot = slotBase[local] + ordinal
                if lastNumbers[slot].count < digits.count {
                    lastNumbers[slot] += Array(repeating: 0, count: digits.count - lastNumbers[slot].count)
                }
                for (run, number) in digits.enumerated() {
                    // Wrapping on purpose: the reader adds the difference back the same way.
                    numbers.writeSVarint(Int64(bitPattern: number &- lastNumbers[slot][run]))
                    lastNumbers[slot][run] = number
                }
            }
        }

        private static func index(of value: [UInt8], in entries: inout [[UInt8]], _ index: inout [[UInt8]: Int]) -> Int {
            if let known = index[value] { return known }
            index[value] = entries.count
            entries.append(value)
            return entries.count - 1
        }
    }

    /// Whether `encoded` rebuilds `line` exactly (compared in place, nothing
    /// is allocated): the rule every stored line obeys.
    static func rebuilds(_ encoded: EncodedLine, _ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let tokens = encoded.template.tokens
        if let separators = encoded.separators, separators.count != tokens.count + 1 { return false }
        guard encoded.variables.count == encoded.template.variableCount else { return false }
        var position = 0
        func take(_ part: [UInt8]) -> Bool {
            guard part.count <= line.count - position else { return false }
            for byte in part {
                if line[position] != byte { return false }
                position += 1
            }
            return true
        }
        let space: [UInt8] = [0x20]
        var nextVariable = 0
        for (index, token) in tokens.enumerated() {
            let separator = encoded.separators?[index] ?? (index == 0 ? [] : space)
            guard take(separator), take(token.bytes) else { return false }
            if token.isVariable {
                guard take(encoded.variables[nextVariable]) else { return false }
                nextVariable += 1
            }
        }
        if let last = encoded.separators?.last, !take(last) { return false }
        return position == line.count
    }

    static func bytes(_ raw: UnsafeRawBufferPointer) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count)
    }
}
