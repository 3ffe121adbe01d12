import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TributaryTLS
import TributaryWire

/// A wire-protocol client for tests, built on our codec: connects (over TLS
/// when given a CA), sends frames, and records every frame it receives.
/// The frame decoder is named "decoder": writing raw bytes from its context
/// sends them under the frame encoder (malformed-input tests).
public final class WireTestClient: Sendable {
    public let channel: Channel
    private let group: MultiThreadedEventLoopGroup
    private let received = Mutex<(frames: [Frame], closed: Bool)>(([], false))

    private init(channel: Channel, group: MultiThreadedEventLoopGroup) {
        self.channel = channel
        self.group = group
    }

    public static func connect(host: String = "127.0.0.1", port: Int, caFile: String?, serverName: String = "localhost") async throws -> WireTestClient {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try caFile.map { file throws(TLSError) -> TLSContext in
            var configuration = TLSConfiguration()
            configuration.trustedCAFile = file
            return try TLSContext(configuration: configuration, role: .client)
        }
        let box = ClientBox()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let context { try pipeline.addHandler(TLSHandler(context: context, serverHostname: serverName)) }
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder()), name: "decoder")
                    try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
                    try pipeline.addHandler(Recorder(box: box))
                }
            }
            .connect(host: host, port: port).get()
        let client = WireTestClient(channel: channel, group: group)
        box.client.withLock { $0 = client }
        return client
    }

    public var frames: [Frame] { received.withLock { $0.frames } }
    public var isClosed: Bool { received.withLock { $0.closed } }

    public func send(_ frame: Frame) async throws {
        try await channel.writeAndFlush(frame)
    }

    /// Writes every frame and flushes once, so they leave together however
    /// busy the test's own threads are (a rate limit sees them as one burst).
    public func send(contentsOf frames: [Frame]) async throws {
        let channel = self.channel
        try await channel.eventLoop.flatSubmit {
            let written = frames.map { channel.write($0) }
            channel.flush()
            return EventLoopFuture.andAllSucceed(written, on: channel.eventLoop)
        }.get()
    }

    /// Waits until the received frames satisfy `condition`.
    public func wait(_ what: String, timeout: Duration = .seconds(60), until condition: ([Frame]) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(frames) {
            guard ContinuousClock.now < deadline else { throw WireTestClientError.timedOut(what, frames) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Sequences among `sent` that the received ACKs cover.
    public func acknowledged(among sent: [UInt64]) -> Set<UInt64> {
        var done = Set<UInt64>()
        for case .ack(let ack) in frames {
            for sequence in sent where ack.acknowledges(sequence) { done.insert(sequence) }
        }
        return done
    }

    public func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    fileprivate func record(_ frame: Frame) { received.withLock { $0.frames.append(frame) } }
    fileprivate func closed() { received.withLock { $0.closed = true } }

    private final class ClientBox: Sendable {
        let client = Mutex<WireTestClient?>(nil)
    }

    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = Frame
        let box: ClientBox
        init(box: ClientBox) { self.box = box }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            if let client = box.client.withLock({ $0 }) { client.record(frame) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            box.client.withLock { $0 }?.closed()
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            context.close(promise: nil)
        }
    }
}

public enum WireTestClientError: Error, CustomStringConvertible {
    case timedOut(String, [Frame])

    public var description: String {
        switch self {
        case .timedOut(let what, let frames): return "timed out waiting for \(what); received \(frames.map(\.type))"
        }
    }
}
