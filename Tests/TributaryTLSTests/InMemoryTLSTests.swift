import NIOCore
import NIOEmbedded
import Testing
import TributaryTestSupport
import TributaryTLS

/// Client and server handlers on two embedded channels, with the bytes
/// moved between them by hand: the handshake and record layer without
/// sockets, deterministic and fast.
@Suite struct InMemoryTLSTests {
    struct Pair {
        let client: EmbeddedChannel
        let server: EmbeddedChannel
        let clientLog = EventLog()
        let serverLog = EventLog()

        init(clientContext: TLSContext, serverContext: TLSContext, hostname: String = "localhost") throws {
            client = EmbeddedChannel()
            server = EmbeddedChannel()
            try client.pipeline.syncOperations.addHandler(try TLSHandler(context: clientContext, serverHostname: hostname))
            try client.pipeline.syncOperations.addHandler(RecordingHandler(log: clientLog))
            try server.pipeline.syncOperations.addHandler(try TLSHandler(context: serverContext))
            try server.pipeline.syncOperations.addHandler(RecordingHandler(log: serverLog))
        }

        /// Moves bytes both ways until neither side has anything to send.
        func pump() throws {
            var moved = true
            while moved {
                moved = false
                while let bytes = try client.readOutbound(as: ByteBuffer.self) {
                    if server.isActive { try server.writeInbound(bytes) }
                    moved = true
                }
                while let bytes = try server.readOutbound(as: ByteBuffer.self) {
                    if client.isActive { try client.writeInbound(bytes) }
                    moved = true
                }
            }
        }

        func connect() throws {
            try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            try client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7400)).wait()
            try pump()
        }
    }

    static func contexts(_ pki: TestCertificates, version: TLSVersion? = nil) throws -> (client: TLSContext, server: TLSContext) {
        let server = try pki.issue("node-a")
        var serverConfiguration = TLSConfiguration()
        serverConfiguration.certificateChainFile = server.certificate
        serverConfiguration.privateKeyFile = server.key
        serverConfiguration.maximumVersion = version
        var clientConfiguration = TLSConfiguration()
        clientConfiguration.trustedCAFile = pki.caFile
        return (try TLSContext(configuration: clientConfiguration, role: .client),
                try TLSContext(configuration: serverConfiguration, role: .server))
    }

    @Test(arguments: [TLSVersion.v1_2, .v1_3])
    func handshakesAndCarriesDataBothWaysInOddSizes(version: TLSVersion) throws {
        let pki = try TestCertificates()
        let (clientContext, serverContext) = try Self.contexts(pki, version: version)
        let pair = try Pair(clientContext: clientContext, serverContext: serverContext)
        try pair.connect()
        #expect(pair.clientLog.handshake?.version == version.rawValue)
        #expect(pair.clientLog.handshake?.peer?.commonName == "node-a")
        #expect(pair.serverLog.handshake != nil)

        var generator = SeededGenerator(seed: 3)
        var sentByClient: [UInt8] = []
        var sentByServer: [UInt8] = []
        for size in [1, 2, 3, 100, 16_383, 16_384, 16_385, 70_000, 1, 0, 5] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            sentByClient += bytes
            try pair.client.writeOutbound(ByteBuffer(bytes: bytes))
            let reply = bytes.reversed() as [UInt8]
            sentByServer += reply
            try pair.server.writeOutbound(ByteBuffer(bytes: reply))
            try pair.pump()
        }
        #expect(pair.serverLog.data == sentByClient)
        #expect(pair.clientLog.data == sentByServer)
        #expect(pair.clientLog.errors.isEmpty && pair.serverLog.errors.isEmpty)
    }

    @Test func writesBeforeTheHandshakeWaitAndArriveInOrder() throws {
        let pki = try TestCertificates()
        let (clientContext, serverContext) = try Self.contexts(pki)
        let pair = try Pair(clientContext: clientContext, serverContext: serverContext)
        try pair.server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try pair.client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7400)).wait()
        let written = pair.client.writeAndFlush(ByteBuffer(string: "early "))
        pair.client.write(ByteBuffer(string: "and more"), promise: nil)
        pair.client.flush()
        try pair.pump()
        try written.wait()
        #expect(String(decoding: pair.serverLog.data, as: UTF8.self) == "early and more")
    }

    @Test(arguments: [true, false])
    func eitherSideClosesCleanlyWithCloseNotify(clientCloses: Bool) throws {
        let pki = try TestCertificates()
        let (clientContext, serverContext) = try Self.contexts(pki)
        let pair = try Pair(clientContext: clientContext, serverContext: serverContext)
        try pair.connect()
        let closing = clientCloses ? pair.client : pair.server
        try closing.close().wait()
        try pair.pump()
        let other = clientCloses ? pair.server : pair.client
        #expect(!other.isActive, "the peer closes when close_notify arrives")
        #expect(pair.clientLog.errors.isEmpty, "\(pair.clientLog.errors)")
        #expect(pair.serverLog.errors.isEmpty, "\(pair.serverLog.errors)")
    }

    @Test func anAbruptEndAfterTheHandshakeIsAnUncleanShutdown() throws {
        let pki = try TestCertificates()
        let (clientContext, serverContext) = try Self.contexts(pki)
        let pair = try Pair(clientContext: clientContext, serverContext: serverContext)
        try pair.connect()
        // The server's socket goes away without close_notify.
        pair.client.pipeline.fireChannelInactive()
        #expect(pair.clientLog.tlsErrors == [.uncleanShutdown])
    }

    @Test func aWrongHostnameFailsTheHandshakeNamingBothSides() throws {
        let pki = try TestCertificates()
        let (clientContext, serverContext) = try Self.contexts(pki)
        let pair = try Pair(clientContext: clientContext, serverContext: serverContext, hostname: "db.example.com")
        try pair.connect()
        let error = try #require(pair.clientLog.tlsErrors.first)
        #expect(error == .hostnameMismatch(expected: "db.example.com", presented: ["node-a", "localhost", "127.0.0.1", "::1"]))
        #expect(error.description.contains("not valid for db.example.com"))
        #expect(pair.clientLog.handshake == nil)
        #expect(pair.serverLog.data.isEmpty)
    }
}
