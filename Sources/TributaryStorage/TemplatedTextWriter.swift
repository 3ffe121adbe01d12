import NIOCore
import TributaryPatterns
import TributaryWire

/// Writes the messages of one chunk as templates and typed columns (chunk
/// mode 2, block version 2). Sealed blocks are now written in mode 3
/// (`TemplateColumnsWriter`); this writer documents the layout readers
/// still take, and tests use it to make such sections. The idea, as CLP
/// stores logs: most of a log line
/// is its template, stored once per chunk; what varies is kept in columns
/// that compress far better than the lines themselves.
///
/// ```
/// section   := varint messages
///              | varint T, template*      template := varint n, (u8 variable? | varint len | bytes)*
///                                                     | column separator refs (one per line of the template)
///              | varint S, separators*    separators := varint n+1, (varint len | bytes)*
///              | varint P, (varint len | bytes)*     numeric shapes (NumericShape)
///              | varint slots, slot*      one per variable position of each template, in order
///              | column lines | column raw lengths | raw text
/// slot      := varint D, (varint len | bytes)*     the slot's strings, in first-use order
///              | column kinds | column string refs
///              | varint runs, (u8 coding | column)*  its numbers, one stream per digit run
/// column    := varint length | bytes
/// lines       : varint per message: 0 = stored as it is, t = template t-1
/// separator refs: varint per line of the template: 0 = the usual (one space
///               between tokens, none around), s = separators s-1
/// kinds       : varint per value of the slot: 0 = a string, s = numeric with
///               shape s-1 (then one number per digit run from the slot's streams)
/// string refs : varint per string value: 0 = the slot's next new string, d = string d-1
/// number stream: varints (coding 0), or svarint differences to the previous
///               number of the stream (coding 1), whichever is smaller
/// raw text    : the lines stored as they are, back to back
/// ```
/// Slots keep what is alike together: one variable's kinds, strings and
/// each of its digit runs (all the seconds of a timestamp, all the ports)
/// follow one another, so deflate finds their repetitions and small
/// differences (kept in line order across slots, the kinds and references
/// took up to a fifth of a chunk).
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
        for (index, template) in state.templates.enumerated() {
            raw.writeVarint(template.tokens.count)
            for token in template.tokens {
                raw.writeInteger(UInt8(token.isVariable ? 1 : 0))
                raw.writeWireBytes(token.bytes)
            }
            raw.writeWireBytes(state.separatorRefs[index])
        }
        raw.writeVarint(state.separators.count)
        for separators in state.separators {
            raw.writeVarint(separators.count)
            for separator in separators { raw.writeWireBytes(separator) }
        }
        raw.writeVarint(state.shapes.count)
        for shape in state.shapes { raw.writeWireBytes(shape) }
        raw.writeVarint(state.slots.count)
        var stream = ByteBuffer()
        for slot in state.slots {
            raw.writeVarint(slot.strings.count)
            for string in slot.strings { raw.writeWireBytes(string) }
            raw.writeWireBytes(slot.kinds)
            raw.writeWireBytes(slot.stringRefs)
            raw.writeVarint(slot.numbers.count)
            for numbers in slot.numbers {
                let coding = Self.smallerCoding(numbers)
                stream.clear()
                var previous: UInt64 = 0
                for number in numbers {
                    if coding == 0 {
                        stream.writeVarint(number)
                    } else {
                        // Wrapping on purpose: the reader adds the difference back the same way.
                        stream.writeSVarint(Int64(bitPattern: number &- previous))
                    }
                    previous = number
                }
                raw.writeInteger(coding)
                raw.writeWireBytes(stream)
            }
        }
        for column in [state.lines, state.rawLengths] {
            raw.writeWireBytes(column)
        }
        raw.writeImmutableBuffer(state.rawText)
    }

    /// 0 (plain varints) or 1 (differences), whichever takes fewer bytes.
    static func smallerCoding(_ numbers: [UInt64]) -> UInt8 {
        var plain = 0
        var differences = 0
        var previous: UInt64 = 0
        for number in numbers {
            plain += varintLength(number)
            let difference = Int64(bitPattern: number &- previous)
            differences += varintLength(UInt64(bitPattern: (difference << 1) ^ (difference >> 63)))
            previous = number
        }
        return differences < plain ? 1 : 0
    }

    private static func varintLength(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    /// The columns and dictionaries being built.
    private struct State {
        /// One variable position of one template: its strings and numbers.
        struct Slot {
            var strings: [[UInt8]] = []
            var index: [[UInt8]: Int] = [:]
            /// Per digit run, the numbers in line order.
            var numbers: [[UInt64]] = []
            var kinds = ByteBuffer()
            var stringRefs = ByteBuffer()
        }

        var templates: [LogTemplate] = []
        var localIndex: [UInt64: Int] = [:]
        /// The first slot of each template.
        var slotBase: [Int] = []
        var slots: [Slot] = []
        var separators: [[[UInt8]]] = []
        var separatorIndex: [[[UInt8]]: Int] = [:]
        var shapes: [[UInt8]] = []
        var shapeIndex: [[UInt8]: Int] = [:]
        var lines = ByteBuffer()
        /// Per template.
        var separatorRefs: [ByteBuffer] = []
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
                slotBase.append(slots.count)
                separatorRefs.append(ByteBuffer())
                slots += Array(repeating: Slot(), count: encoded.variables.count)
            }
            lines.writeVarint(local + 1)
            if let line = encoded.separators {
                if let known = separatorIndex[line] {
                    separatorRefs[local].writeVarint(known + 1)
                } else {
                    separatorIndex[line] = separators.count
                    separators.append(line)
                    separatorRefs[local].writeVarint(separators.count)
                }
            } else {
                separatorRefs[local].writeVarint(0)
            }
            for (ordinal, value) in encoded.variables.enumerated() {
                let slot = slotBase[local] + ordinal
                let numeric = value.withUnsafeBufferPointer { NumericShape.split($0, shape: &shape, numbers: &digits) }
                guard numeric else {
                    slots[slot].kinds.writeVarint(0)
                    if let known = slots[slot].index[value] {
                        slots[slot].stringRefs.writeVarint(known + 1)
                    } else {
                        slots[slot].index[value] = slots[slot].strings.count
                        slots[slot].strings.append(value)
                        slots[slot].stringRefs.writeVarint(0)
                    }
                    continue
                }
                if let known = shapeIndex[shape] {
                    slots[slot].kinds.writeVarint(known + 1)
                } else {
                    shapeIndex[shape] = shapes.count
                    shapes.append(shape)
                    slots[slot].kinds.writeVarint(shapes.count)
                }
                if slots[slot].numbers.count < digits.count {
                    slots[slot].numbers += Array(repeating: [], count: digits.count - slots[slot].numbers.count)
                }
                for (run, number) in digits.enumerated() { slots[slot].numbers[run].append(number) }
            }
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
