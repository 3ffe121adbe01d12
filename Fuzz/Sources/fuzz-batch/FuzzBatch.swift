import FuzzSupport
import NIOCore
import TributaryModel
import TributaryWire

/// libFuzzer target: `BatchDecoder` on a BATCH body with its header fields
/// taken from the input, compressed bodies included (zlib inflate bounded by
/// `raw_length`).
///
/// Input layout (the seeds follow it):
/// ```
/// +-------+-----------------+----------------------+------------
/// | flags | record_count u16| raw_length u24       | body…
/// +-------+-----------------+----------------------+------------
/// ```
/// flags bit 0: the body is raw DEFLATE; bit 1: use the body's own length
/// as raw_length (uncompressed bodies are refused unless they agree).
/// A batch that decodes is encoded again and must decode to as many records.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBatch(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard input.count >= 6 else { return 0 }
    let flags = input[0]
    let recordCount = Int(input[1]) << 8 | Int(input[2])
    var rawLength = Int(input[3]) << 16 | Int(input[4]) << 8 | Int(input[5])
    let body = ByteBuffer(bytes: input[6...])
    if flags & 2 != 0 { rawLength = body.readableBytes }
    var limits = WireLimits()
    limits.maxBatchRawBytes = 1 << 20
    let batch = Batch(agentID: "fuzz", sequence: 1, recordCount: recordCount, rawLength: rawLength,
                      isCompressed: flags & 1 != 0, body: body)
    let decoder = BatchDecoder(limits: limits)
    let records: [Record]
    do {
        records = try decoder.decode(batch)
    } catch {
        _ = error.description
        return 0
    }
    guard let again = try? BatchEncoder(limits: limits).encode(records, agentID: "fuzz", sequence: 2) else { return 0 }
    do {
        let decoded = try decoder.decode(again)
        precondition(decoded.count == records.count, "re-encoded batch decodes to \(decoded.count) records, not \(records.count)")
    } catch {
        preconditionFailure("a batch the encoder wrote from decoded records does not decode: \(error)")
    }
    return 0
}

/// The executable's entry point (see `LibFuzzer.run`).
@_cdecl("fuzz_batch_main")
public func fuzzBatchMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    LibFuzzer.run(argc, argv, fuzzBatch)
}
