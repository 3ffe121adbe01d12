import NIOCore
import NIOPosix
import Testing
import TributaryTestSupport
import TributaryTLS

/// A peer that stops reading must make the writer's channel unwritable: the
/// TLS handler passes ciphertext down at once and keeps nothing of its own,
/// so the channel's own watermarks reach the application.
@Suite struct TLSBackpressureTests {
    @Test func aStalledPeerMakesTheChannelUnwritableWithinBoundedMemory() async throws {
        let pki = try TestCertificates()
        let files = try pki.issue("node-a")
        var serverConfiguration = TLSConfiguration()
        serverConfiguration.certificateChainFile = files.certificate
        serverConfiguration.privateKeyFile = files.key
        let serverContext = try TLSContext(configuration: serverConfiguration, role: .server)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        // The server completes the handshake, then stops reading.
        let listener = try await ServerBootstrap(group: group)
            .childChannelOption(.socketOption(.so_rcvbuf), value: 64 * 1024)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TLSHandler(context: serverContext))
                    try channel.pipeline.syncOperations.addHandler(StopReadingAfterHandshake())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let (channel, log) = try await connectTLS(
            port: listener.localAddress!.port!, context: try TLSSocketTests.clientContext(pki), group: group)
        try await log.wait("the handshake") { $0.handshake != nil }
        _ = try await channel.setOption(.socketOption(.so_sndbuf), value: 64 * 1024).get()

        let chunk = ByteBuffer(repeating: 0x42, count: 64 * 1024)
        var written = 0
        let limit = 256 * 1024 * 1024
        while channel.isWritable && written < limit {
            channel.writeAndFlush(chunk, promise: nil)
            written += chunk.readableBytes
            try await Task.sleep(for: .microseconds(50))
        }
        #expect(!channel.isWritable, "the channel never became unwritable after \(written) bytes")
        #expect(written < 32 * 1024 * 1024, "backpressure should show within socket buffers plus the high watermark; wrote \(written)")
        try await channel.close()
        try await listener.close()
        try await group.shutdownGracefully()
    }
}

/// Turns off autoRead once the TLS handshake completed.
final class StopReadingAfterHandshake: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompleted {
            context.channel.setOption(.autoRead, value: false).whenComplete { _ in }
        }
        context.fireUserInboundEventTriggered(event)
    }
}
