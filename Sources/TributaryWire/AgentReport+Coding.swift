import NIOCore

/// REPORT body: `varint count` (0–64), then count × (`varint tag`, `bytes
/// value`), tags strictly ascending. Each known tag's value is consumed
/// exactly by its layout; unknown tags are skipped, which is what lets
/// later agents add fields (`proto/PROTOCOL.md` 4.10).
extension AgentReport {
    func write(into buffer: inout ByteBuffer) {
        var fields: [(UInt64, ByteBuffer)] = []
        func text(_ tag: UInt64, _ value: String?) {
            guard let value else { return }
            fields.append((tag, ByteBuffer(string: value)))
        }
        func number(_ tag: UInt64, _ value: UInt64) {
            var field = ByteBuffer()
            field.writeVarint(value)
            fields.append((tag, field))
        }
        text(Tag.host, host)
        text(Tag.os, os)
        text(Tag.kernel, kernel)
        text(Tag.version, version)
        number(Tag.startedMilliseconds, startedMilliseconds)
        text(Tag.configHash, configHash)
        text(Tag.configVersion, configVersion)
        text(Tag.configError, configError)
        number(Tag.spoolBytes, spoolBytes)
        number(Tag.oldestUnackedMilliseconds, oldestUnackedMilliseconds)
        text(Tag.lastError, lastError)
        var labelField = ByteBuffer()
        labelField.writeVarint(labels.count)
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            labelField.writeWireString(name)
            labelField.writeWireString(value)
        }
        fields.append((Tag.labels, labelField))
        var inputField = ByteBuffer()
        inputField.writeVarint(inputs.count)
        for input in inputs {
            inputField.writeWireString(input.name)
            inputField.writeWireString(input.type)
            inputField.writeWireString(input.state)
            inputField.writeVarint(input.records)
        }
        fields.append((Tag.inputs, inputField))
        number(Tag.droppedRecords, droppedRecords)
        number(Tag.udpDroppedRecords, udpDroppedRecords)
        buffer.writeVarint(fields.count)
        for (tag, value) in fields {
            buffer.writeVarint(tag)
            buffer.writeWireBytes(value)
        }
    }

    static func decode(_ reader: inout WireReader, limits: WireLimits) throws(WireError) -> AgentReport {
        var report = AgentReport()
        let count = try reader.readCount("REPORT.fields count", limit: maxFields, minimumItemBytes: 2)
        var previous: UInt64 = 0
        for index in 0..<count {
            let tag = try reader.readVarint("REPORT.fields[\(index)].tag")
            guard tag > previous else {
                throw .invalidValue(field: "REPORT.fields[\(index)].tag", reason: "is \(tag) after \(previous); tags start at 1 and strictly ascend")
            }
            previous = tag
            let range = try reader.readLengthPrefixed("REPORT.fields[\(index)].value", limit: maxFieldBytes)
            var value = WireReader(UnsafeRawBufferPointer(rebasing: reader.bytes[range]))
            try report.read(tag: tag, from: &value, limits: limits)
        }
        return report
    }

    private mutating func read(tag: UInt64, from value: inout WireReader, limits: WireLimits) throws(WireError) {
        func text(_ name: String, limit: Int) throws(WireError) -> String {
            let field = "REPORT.\(name)"
            guard value.remaining <= limit else {
                throw .limitExceeded(field: field + " length", value: UInt64(value.remaining), limit: limit)
            }
            guard let string = WireReader.string(validating: value.bytes) else { throw .invalidUTF8(field: field) }
            try value.skip(value.remaining)
            return string
        }
        switch tag {
        case Tag.host: host = try text("host", limit: limits.maxHostBytes)
        case Tag.os: os = try text("os", limit: limits.maxHostBytes)
        case Tag.kernel: kernel = try text("kernel", limit: limits.maxHostBytes)
        case Tag.version: version = try text("version", limit: limits.maxIdentifierBytes)
        case Tag.startedMilliseconds: startedMilliseconds = try value.readVarint("REPORT.started_ms")
        case Tag.configHash: configHash = try text("config_hash", limit: limits.maxIdentifierBytes)
        case Tag.configVersion: configVersion = try text("config_version", limit: limits.maxIdentifierBytes)
        case Tag.configError: configError = try text("config_error", limit: limits.maxReasonBytes)
        case Tag.spoolBytes: spoolBytes = try value.readVarint("REPORT.spool_bytes")
        case Tag.oldestUnackedMilliseconds: oldestUnackedMilliseconds = try value.readVarint("REPORT.oldest_unacked_ms")
        case Tag.lastError: lastError = try text("last_error", limit: limits.maxReasonBytes)
        case Tag.labels:
            let count = try value.readCount("REPORT.labels count", limit: Self.maxLabels, minimumItemBytes: 2)
            for index in 0..<count {
                let name = try value.readString("REPORT.labels[\(index)].name", limit: limits.maxLabelNameBytes)
                guard !name.isEmpty else { throw .invalidValue(field: "REPORT.labels[\(index)].name", reason: "is empty") }
                labels[name] = try value.readString("REPORT.labels[\(index)].value", limit: limits.maxStringBytes)
            }
        case Tag.inputs:
            let count = try value.readCount("REPORT.inputs count", limit: Self.maxInputs, minimumItemBytes: 4)
            for index in 0..<count {
                let name = try value.readString("REPORT.inputs[\(index)].name", limit: limits.maxIdentifierBytes)
                let type = try value.readString("REPORT.inputs[\(index)].type", limit: limits.maxIdentifierBytes)
                let state = try value.readString("REPORT.inputs[\(index)].state", limit: limits.maxReasonBytes)
                let records = try value.readVarint("REPORT.inputs[\(index)].records")
                inputs.append(Input(name: name, type: type, state: state, records: records))
            }
        case Tag.droppedRecords: droppedRecords = try value.readVarint("REPORT.dropped_records")
        case Tag.udpDroppedRecords: udpDroppedRecords = try value.readVarint("REPORT.udp_dropped_records")
        default:
            // A field of a later version: skipped.
            return
        }
        try value.expectEnd("REPORT field \(tag)")
    }
}
