import NIOCore
import NIOPosix
import Synchronization
import TributaryTLS

/// A TLS server on 127.0.0.1 (port 0) whose connections record into
/// `EventLog`s, and a client connector; real sockets through NIOPosix.
final class TLSServerFixture: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: Channel
    private let logs: Mutex<[EventLog]>

    var port: Int { channel.localAddress!.port! }
    var connections: [EventLog] { logs.withLock { $0 } }

    private init(group: MultiThreadedEventLoopGroup, channel: Channel) {
        self.group = group
        self.channel = channel
        self.logs = Mutex([])
    }

    static func start(store: TLSContextStore, echo: Bool = true, sink: (@Sendable () -> ChannelHandler)? = nil) async throws -> TLSServerFixture {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let registry = Registry()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let log = EventLog()
                registry.add(log)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TLSHandler(context: store.context))
                    if let sink {
                        try channel.pipeline.syncOperations.addHandler(sink())
                    } else {
                        try channel.pipeline.syncOperations.addHandler(RecordingHandler(log: log, echo: echo))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let fixture = TLSServerFixture(group: group, channel: channel)
        registry.attach(fixture)
        return fixture
    }

    fileprivate func add(_ log: EventLog) { logs.withLock { $0.append(log) } }

    func stop() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    /// Collects logs of connections accepted before `start` returned.
    final class Registry: Sendable {
        private let state = Mutex<(fixture: TLSServerFixture?, early: [EventLog])>((nil, []))
        func add(_ log: EventLog) {
            state.withLock { state in
                if let fixture = state.fixture { fixture.add(log) } else { state.early.append(log) }
            }
        }
        func attach(_ fixture: TLSServerFixture) {
            state.withLock { state in
                state.fixture = fixture
                for log in state.early { fixture.add(log) }
                state.early = []
            }
        }
    }
}

/// Opens a TLS client connection to 127.0.0.1:`port`.
func connectTLS(
    port: Int, context: TLSContext, hostname: String = "localhost", group: EventLoopGroup
) async throws -> (channel: Channel, log: EventLog) {
    let log = EventLog()
    let channel = try await ClientBootstrap(group: group)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(TLSHandler(context: context, serverHostname: hostname))
                try channel.pipeline.syncOperations.addHandler(RecordingHandler(log: log))
            }
        }
        .connect(host: "127.0.0.1", port: port).get()
    return (channel, log)
}
