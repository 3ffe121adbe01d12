import NIOCore
import Synchronization
import TributaryWire

/// Counts and checksums everything a connection receives, without keeping it.
final class ChecksumSink: Sendable {
    private let state = Mutex<(received: Int, checksum: UInt32)>((0, 0))

    var received: Int { state.withLock { $0.received } }
    var checksum: UInt32 { state.withLock { $0.checksum } }

    func add(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            state.withLock { state in
                state.received += bytes.count
                state.checksum = CRC32C.update(state.checksum, bytes)
            }
        }
    }

    func wait(for total: Int, timeout: Duration = .seconds(300)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while received < total {
            guard clock.now < deadline else { throw TestTimeout(what: "\(total) bytes (got \(received))", errors: []) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

final class ChecksumHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let sink: ChecksumSink

    init(sink: ChecksumSink) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        sink.add(unwrapInboundIn(data))
    }
}
