import NIOCore
import TributaryCompression
import TributaryModel
import TributaryWire

/// `trib bench codec`: how fast one core turns log records into BATCH frames
/// (encode + zlib) and back (inflate + decode), and how small they get.
///
/// Figures are in MB (10^6 bytes) of raw message bytes per second; `ratio`
/// is raw message bytes ÷ encoded frame bytes (headers, tables and all).
public struct CodecBenchmark: Sendable {
    public var recordBytes = 200
    public var batchRecords = 1000
    public var level = CompressionLevel.fastest
    /// How long each measured phase runs in all.
    public var seconds = 3.0

    public init() {}

    public func run(corpus: LoghubCorpus) throws -> [BenchmarkReport] {
        // One pool of batches from every file; the figures cycle over it.
        var batches: [[Record]] = []
        var perFile: [(name: String, raw: Int, encoded: Int)] = []
        let encoder = BatchEncoder(compression: level)
        var frames: [ByteBuffer] = []
        var sequence: UInt64 = 0
        for file in corpus.files {
            let records = corpus.records(of: file, messageBytes: recordBytes, startingAt: 1_700_000_000_000_000_000)
            var raw = 0
            var encoded = 0
            for start in stride(from: 0, to: records.count, by: batchRecords) {
                let batch = Array(records[start..<min(records.count, start + batchRecords)])
                sequence += 1
                let frame = Frame.batch(try encoder.encode(batch, agentID: "bench", sequence: sequence)).encoded()
                batches.append(batch)
                frames.append(frame)
                raw += batch.count * recordBytes
                encoded += frame.readableBytes
            }
            perFile.append((file.name, raw, encoded))
        }
        guard !batches.isEmpty else { throw LoghubCorpusError.empty(corpus.directory.path) }

        let encodePhase: Phase = { index in
            let batch = batches[index % batches.count]
            let encoded = try encoder.encode(batch, agentID: "bench", sequence: UInt64(index + 1))
            precondition(Frame.batch(encoded).encoded().readableBytes > 0)
            return batch.count * recordBytes
        }
        let decoder = BatchDecoder()
        let decodePhase: Phase = { index in
            var frame = frames[index % frames.count]
            guard case .batch(let batch) = try Frame.read(from: &frame) else { preconditionFailure("not a batch") }
            let records = try decoder.decode(batch)
            precondition(records.count == batch.recordCount)
            return records.count * recordBytes
        }

        // Baselines in the same run: zlib alone over the same message bytes,
        // so the codec's own cost is visible.
        let rawBodies: [ByteBuffer] = batches.map { batch in
            var body = ByteBuffer()
            for case .log(let log) in batch { body.writeImmutableBuffer(log.message) }
            return body
        }
        let deflater = Deflater(level: level, format: .raw)
        var compressedBodies: [ByteBuffer] = []
        for body in rawBodies {
            var out = ByteBuffer()
            deflater.compress(body, appendingTo: &out)
            compressedBodies.append(out)
        }
        let zlibDeflatePhase: Phase = { index in
            let body = rawBodies[index % rawBodies.count]
            var out = ByteBuffer()
            deflater.compress(body, appendingTo: &out)
            return body.readableBytes
        }
        let inflater = Inflater(format: .raw)
        let zlibInflatePhase: Phase = { index in
            let body = compressedBodies[index % compressedBodies.count]
            var out = ByteBuffer()
            return try inflater.inflate(body, appendingTo: &out, limit: 1 << 26)
        }

        // The codec without zlib, to show its own share of the cost.
        let plainEncoder = BatchEncoder(compression: nil)
        let plainFrames = try batches.enumerated().map { index, batch in
            Frame.batch(try plainEncoder.encode(batch, agentID: "bench", sequence: UInt64(index + 1))).encoded()
        }
        let encodeOnlyPhase: Phase = { index in
            let batch = batches[index % batches.count]
            let encoded = try plainEncoder.encode(batch, agentID: "bench", sequence: UInt64(index + 1))
            precondition(Frame.batch(encoded).encoded().readableBytes > 0)
            return batch.count * recordBytes
        }
        let decodeOnlyPhase: Phase = { index in
            var frame = plainFrames[index % plainFrames.count]
            guard case .batch(let batch) = try Frame.read(from: &frame) else { preconditionFailure("not a batch") }
            return try decoder.decode(batch).count * recordBytes
        }

        let rates = try measure([encodePhase, decodePhase, zlibDeflatePhase, zlibInflatePhase, encodeOnlyPhase, decodeOnlyPhase])
        let (encodeRate, decodeRate, zlibDeflateRate, zlibInflateRate, encodeOnlyRate, decodeOnlyRate) =
            (rates[0], rates[1], rates[2], rates[3], rates[4], rates[5])

        let totalRaw = perFile.reduce(0) { $0 + $1.raw }
        let totalEncoded = perFile.reduce(0) { $0 + $1.encoded }
        var summary = BenchmarkReport(bench: "codec")
        summary.add("encode_mb_per_s", encodeRate)
        summary.add("decode_mb_per_s", decodeRate)
        summary.add("ratio", Double(totalRaw) / Double(totalEncoded), decimals: 2)
        summary.add("zlib_deflate_mb_per_s", zlibDeflateRate)
        summary.add("zlib_inflate_mb_per_s", zlibInflateRate)
        summary.add("codec_only_encode_mb_per_s", encodeOnlyRate)
        summary.add("codec_only_decode_mb_per_s", decodeOnlyRate)
        summary.add("record_bytes", recordBytes)
        summary.add("batch_records", batchRecords)
        summary.add("zlib_level", Int(level.rawValue))
        summary.add("records", totalRaw / recordBytes)
        var reports = [summary]
        for file in perFile {
            var line = BenchmarkReport(bench: "codec")
            line.add("file", file.name)
            line.add("ratio", Double(file.raw) / Double(file.encoded), decimals: 2)
            reports.append(line)
        }
        return reports
    }

    /// One unit of work: given an iteration number, returns raw bytes handled.
    typealias Phase = (Int) throws -> Int

    /// Runs every phase in five rounds of `seconds / 5` each, interleaved
    /// (round 1 of every phase, then round 2, …), and returns each phase's
    /// median MB of raw bytes per second. Interleaving and the median keep a
    /// noisy neighbour on a shared VM from skewing one phase against another.
    private func measure(_ phases: [Phase]) throws -> [Double] {
        for phase in phases {
            for index in 0..<3 { _ = try phase(index) }
        }
        let clock = ContinuousClock()
        let trial = Duration.milliseconds(Int(seconds * 1000 / 5))
        var rates = [[Double]](repeating: [], count: phases.count)
        for _ in 0..<5 {
            for (number, phase) in phases.enumerated() {
                let start = clock.now
                var bytes = 0
                var index = 0
                while clock.now - start < trial {
                    bytes += try phase(index)
                    index += 1
                }
                rates[number].append(Double(bytes) / ((clock.now - start) / .seconds(1)) / 1_000_000)
            }
        }
        return rates.map { $0.sorted()[2] }
    }
}
