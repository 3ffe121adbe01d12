import Foundation
import NIOCore
import TributaryWire

/// The result of reading one segment file: its valid records and, if it
/// ends badly, where and why.
struct WALSegmentScan {
    enum Problem: Equatable {
        /// The file ends inside a record: a write the crash interrupted.
        case truncatedRecord
        /// A record's checksum, length or sequence is wrong.
        case corruptRecord(String)
        case badHeader(String)
    }

    let records: [WALRecord]
    /// Bytes up to the end of the last valid record.
    let validLength: Int
    let fileLength: Int
    let problem: Problem?

    /// Reads and checks every record of the segment at `path`. Memory is
    /// bounded by the segment size limit the log enforces when writing.
    static func read(path: String, firstSequence: UInt64, maxRecordBytes: Int) throws(StorageError) -> WALSegmentScan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .uncached)
        } catch {
            throw .io(path: path, operation: "reading", errno: Int32((error as NSError).code))
        }
        let buffer = ByteBuffer(bytes: data)
        let header = StorageFileNames.walHeaderBytes
        guard data.count >= header else {
            return WALSegmentScan(records: [], validLength: 0, fileLength: data.count, problem: .truncatedRecord)
        }
        guard buffer.getInteger(at: 0, as: UInt32.self) == StorageFileNames.walMagic,
              buffer.getInteger(at: 4, as: UInt32.self) == StorageFileNames.walVersion
        else {
            return WALSegmentScan(records: [], validLength: 0, fileLength: data.count, problem: .badHeader("not a version-1 write-ahead-log segment"))
        }
        var records: [WALRecord] = []
        var offset = header
        var expected = firstSequence
        while offset < data.count {
            guard data.count - offset >= StorageFileNames.walRecordHeaderBytes else {
                return WALSegmentScan(records: records, validLength: offset, fileLength: data.count, problem: .truncatedRecord)
            }
            let length = Int(buffer.getInteger(at: offset, as: UInt32.self)!)
            let checksum = buffer.getInteger(at: offset + 4, as: UInt32.self)!
            let sequence = buffer.getInteger(at: offset + 8, as: UInt64.self)!
            guard length <= maxRecordBytes else {
                return WALSegmentScan(records: records, validLength: offset, fileLength: data.count,
                                      problem: .corruptRecord("record at byte \(offset) claims \(length) bytes"))
            }
            let end = offset + StorageFileNames.walRecordHeaderBytes + length
            guard end <= data.count else {
                return WALSegmentScan(records: records, validLength: offset, fileLength: data.count, problem: .truncatedRecord)
            }
            let computed = buffer.withUnsafeReadableBytes { bytes in
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[(offset + 8)..<end]))
            }
            guard computed == checksum else {
                return WALSegmentScan(records: records, validLength: offset, fileLength: data.count,
                                      problem: .corruptRecord("checksum mismatch in record at byte \(offset)"))
            }
            guard sequence == expected else {
                return WALSegmentScan(records: records, validLength: offset, fileLength: data.count,
                                      problem: .corruptRecord("record at byte \(offset) has sequence \(sequence), expected \(expected)"))
            }
            let payload = buffer.getSlice(at: offset + StorageFileNames.walRecordHeaderBytes, length: length)!
            records.append(WALRecord(sequence: sequence, payload: payload))
            expected += 1
            offset = end
        }
        return WALSegmentScan(records: records, validLength: offset, fileLength: data.count, problem: nil)
    }
}
