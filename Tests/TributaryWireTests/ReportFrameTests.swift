import NIOCore
import Testing
import TributaryWire

/// REPORT (`proto/PROTOCOL.md` 4.10): later fields are skipped, optional
/// fields round-trip, and a hostile report is refused by its limits.
@Suite struct ReportFrameTests {
    private func payload(_ fields: [(UInt64, [UInt8])]) -> ByteBuffer {
        var payload = ByteBuffer()
        payload.writeVarint(fields.count)
        for (tag, value) in fields {
            payload.writeVarint(tag)
            payload.writeVarint(value.count)
            payload.writeBytes(value)
        }
        return payload
    }

    private func decode(_ payload: ByteBuffer) throws -> Frame {
        let header = FrameHeader(type: .report, flags: [], payloadLength: payload.readableBytes,
                                 checksum: payload.withUnsafeReadableBytes { CRC32C.checksum($0) })
        return try Frame.decode(header: header, payload: payload)
    }

    @Test func fieldsOfALaterVersionAreSkipped() throws {
        let frame = try decode(payload([(1, Array("web-1".utf8)), (40, [0xFF, 0x00, 0x13]), (41, [])]))
        var expected = AgentReport()
        expected.host = "web-1"
        #expect(frame == .report(expected))
    }

    @Test func centralConfigurationFieldsRoundTrip() throws {
        var report = AgentReport()
        report.host = "db-3"
        report.configVersion = "group-web@7"
        report.configError = "input syslog: port 514 in use"
        report.lastError = "cannot connect to node-b:7400"
        report.droppedRecords = 12
        report.udpDroppedRecords = 9
        var buffer = Frame.report(report).encoded()
        #expect(try Frame.read(from: &buffer) == .report(report))
    }

    @Test func tooManyFieldsAndOversizedValuesAreRefused() throws {
        let many = (1...65).map { (UInt64($0), [UInt8]()) }
        #expect(throws: WireError.self) { try decode(payload(many)) }
        let long = [(UInt64(1), [UInt8](repeating: 0x61, count: 256))]
        #expect(throws: WireError.self) { try decode(payload(long)) }
        let badNumber = [(UInt64(9), [UInt8]([0x80]))]
        #expect(throws: WireError.self) { try decode(payload(badNumber)) }
        let trailing = [(UInt64(9), [UInt8]([0x01, 0x02]))]
        #expect(throws: WireError.self) { try decode(payload(trailing)) }
    }
}
