import FuzzSupport
import NIOCore
import TributaryCluster
import TributaryWire

/// libFuzzer target: a byte stream from an agent or a peer, split into
/// frames by `Frame.read`, each BATCH decoded by `BatchDecoder` and each
/// peer frame by `PeerMessage`.
///
/// A mutated payload would almost never match its header's CRC32C, and the
/// decoder would stop there; so the CRC of every frame whose payload is
/// present is recomputed before decoding (the CRC check itself is covered by
/// the golden vectors). Bad bytes must throw a `WireError`, never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrame(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var offset = 0
    while offset + FrameHeader.size <= bytes.count {
        let length = Int(bytes[offset + 8]) << 24 | Int(bytes[offset + 9]) << 16 | Int(bytes[offset + 10]) << 8 | Int(bytes[offset + 11])
        guard offset + FrameHeader.size + length <= bytes.count else { break }
        let crc = CRC32C.checksum(bytes[(offset + FrameHeader.size)..<(offset + FrameHeader.size + length)])
        bytes[offset + 12] = UInt8(truncatingIfNeeded: crc >> 24)
        bytes[offset + 13] = UInt8(truncatingIfNeeded: crc >> 16)
        bytes[offset + 14] = UInt8(truncatingIfNeeded: crc >> 8)
        bytes[offset + 15] = UInt8(truncatingIfNeeded: crc)
        offset += FrameHeader.size + length
    }
    var limits = WireLimits()
    limits.maxBatchRawBytes = 1 << 20
    limits.maxFrameBytes = 1 << 20
    var buffer = ByteBuffer(bytes: bytes)
    let batches = BatchDecoder(limits: limits)
    do {
        while let frame = try Frame.read(from: &buffer, limits: limits) {
            switch frame {
            case .batch(let batch):
                _ = try? batches.decode(batch)
            case .peer(let peer):
                _ = try? PeerMessage(peer, limits: limits)
            default:
                break
            }
        }
    } catch {
        _ = error.description
    }
    return 0
}

/// The executable's entry point (see `LibFuzzer.run`).
@_cdecl("fuzz_frame_main")
public func fuzzFrameMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    LibFuzzer.run(argc, argv, fuzzFrame)
}
