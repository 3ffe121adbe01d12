import Dispatch
import NIOCore
import TributaryWire

/// The write-ahead log's file work, confined to one serial dispatch queue
/// (hence `@unchecked Sendable`: every method runs on `queue`, never
/// concurrently). Blocking writes and syncs happen here, off the actor, so
/// appends keep queuing on the actor while a sync is under way.
final class WALWriter: @unchecked Sendable {
    let directory: String
    let configuration: WALConfiguration
    private let queue = DispatchQueue(label: "tributary.wal.io")
    private var current: SegmentFile?
    private(set) var statistics = WALStatistics()
    /// The last sequence written (and synced) by this writer.
    private(set) var lastWritten: UInt64 = 0

    init(directory: String, configuration: WALConfiguration, current: SegmentFile?) {
        self.directory = directory
        self.configuration = configuration
        self.current = current
    }

    /// Runs `work` on the I/O queue.
    func run<T: Sendable>(_ work: @escaping @Sendable (WALWriter) throws(StorageError) -> T) async throws(StorageError) -> T {
        let result: Result<T, StorageError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(StorageError) {
                    continuation.resume(returning: .success(try work(self)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Writes `payloads` as records `firstSequence…` with one write and one
    /// sync, starting a new segment first if the current one is full.
    func commit(_ payloads: [ByteBuffer], firstSequence: UInt64) throws(StorageError) {
        if current == nil || current!.size >= configuration.segmentBytes {
            try startSegment(firstSequence: firstSequence)
        }
        var batch = ByteBuffer()
        batch.reserveCapacity(payloads.reduce(0) { $0 + $1.readableBytes + StorageFileNames.walRecordHeaderBytes })
        var sequence = firstSequence
        for payload in payloads {
            batch.writeInteger(UInt32(payload.readableBytes))
            let checksumIndex = batch.writerIndex
            batch.writeInteger(UInt32(0))
            let covered = batch.writerIndex
            batch.writeInteger(sequence)
            batch.writeImmutableBuffer(payload)
            let checksum = batch.withUnsafeReadableBytes { bytes in
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[(covered - batch.readerIndex)...]))
            }
            batch.setInteger(checksum, at: checksumIndex)
            sequence += 1
        }
        let segment = current!
        let start = segment.size
        let began = ContinuousClock.now
        do throws(StorageError) {
            try segment.append(batch)
            try segment.sync()
        } catch {
            // Not acknowledged: take the bytes back out so the sequences can
            // be written again and a reopen finds a clean tail.
            try? segment.truncate(to: start)
            throw error
        }
        lastWritten = firstSequence + UInt64(payloads.count) - 1
        let elapsed = ContinuousClock.now - began
        statistics.recordSync(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func startSegment(firstSequence: UInt64) throws(StorageError) {
        if let current {
            try current.sync()
        }
        let path = directory + "/" + StorageFileNames.walSegment(firstSequence: firstSequence)
        let segment = try SegmentFile(path: path, create: true)
        var header = ByteBuffer()
        header.writeInteger(StorageFileNames.walMagic)
        header.writeInteger(StorageFileNames.walVersion)
        do throws(StorageError) {
            try segment.append(header)
            try segment.sync()
            try SegmentFile.syncDirectory(directory)
        } catch {
            // A segment without its header must not stay behind.
            unlink(path)
            throw error
        }
        current = segment
    }

    func close() {
        current = nil
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
