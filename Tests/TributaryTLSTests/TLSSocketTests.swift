import Foundation
import NIOCore
import NIOPosix
import Testing
import TributaryPKI
import TributaryTestSupport
import TributaryTLS
import TributaryWire

/// Our client and our server over real sockets on 127.0.0.1.
@Suite struct TLSSocketTests {
    static func serverConfiguration(_ pki: TestCertificates, name: String = "node-a", mutual: Bool = false) throws -> TLSConfiguration {
        let files = try pki.issue(name)
        var configuration = TLSConfiguration()
        configuration.certificateChainFile = files.certificate
        configuration.privateKeyFile = files.key
        if mutual {
            configuration.requireClientCertificate = true
            configuration.trustedCAFile = pki.caFile
        }
        return configuration
    }

    static func clientContext(_ pki: TestCertificates, certificate: (certificate: String, key: String)? = nil, configure: (inout TLSConfiguration) -> Void = { _ in }) throws -> TLSContext {
        var configuration = TLSConfiguration()
        configuration.trustedCAFile = pki.caFile
        configuration.certificateChainFile = certificate?.certificate
        configuration.privateKeyFile = certificate?.key
        configure(&configuration)
        return try TLSContext(configuration: configuration, role: .client)
    }

    @Test(arguments: [TLSVersion.v1_2, .v1_3], [false, true])
    func ourClientTalksToOurServer(version: TLSVersion, mutual: Bool) async throws {
        let pki = try TestCertificates()
        let server = try await TLSServerFixture.start(store: TLSContextStore(configuration: Self.serverConfiguration(pki, mutual: mutual), role: .server))
        let agent = try pki.issue("agent-1")
        let context = try Self.clientContext(pki, certificate: mutual ? agent : nil) { $0.maximumVersion = version }
        let (channel, log) = try await connectTLS(port: server.port, context: context, group: server.group)
        try await channel.writeAndFlush(ByteBuffer(string: "hello over TLS"))
        try await log.wait("the echo") { $0.data.count == 14 }
        #expect(String(decoding: log.data, as: UTF8.self) == "hello over TLS")
        #expect(log.handshake?.version == version.rawValue)
        #expect(log.handshake?.peer?.commonName == "node-a")
        let serverSide = try #require(server.connections.first)
        #expect(serverSide.handshake?.peer?.commonName == (mutual ? "agent-1" : nil))
        if mutual {
            #expect(serverSide.handshake?.peer?.dnsNames == ["agent-1", "localhost"])
            #expect(serverSide.handshake?.peer?.fingerprintSHA256.count == 64)
        }
        try await channel.close()
        try await serverSide.wait("the server to see the close") { $0.isInactive }
        #expect(serverSide.errors.isEmpty, "a close_notify close is clean: \(serverSide.errors)")
        try await server.stop()
    }

    /// Expired and not-yet-valid client certificates are in
    /// `OpenSSLInteropTests`: our own context will not load them.
    @Test func aServerRequiringClientCertificatesRefusesBadOnesAndKeepsServing() async throws {
        let pki = try TestCertificates()
        let foreign = try TestCertificates.foreign()
        let server = try await TLSServerFixture.start(store: TLSContextStore(configuration: Self.serverConfiguration(pki, mutual: true), role: .server))
        let cases: [(String, (certificate: String, key: String)?, (TLSError) -> Bool)] = [
            ("no certificate", nil, { $0 == .peerCertificateRequired }),
            ("unknown CA", try foreign.issue("stranger"), {
                if case .unknownCA(let subject, _) = $0 { return subject.contains("stranger") }
                return false
            }),
        ]
        for (index, (name, certificate, matches)) in cases.enumerated() {
            let context = try Self.clientContext(pki, certificate: certificate)
            let (channel, log) = try await connectTLS(port: server.port, context: context, group: server.group)
            channel.writeAndFlush(ByteBuffer(string: "must not arrive"), promise: nil)
            try await log.wait("\(name): the client to be refused") { $0.isInactive }
            try await server.connections[index].wait("\(name): the server's error") { !$0.tlsErrors.isEmpty }
            let serverError = try #require(server.connections[index].tlsErrors.first)
            #expect(matches(serverError), "\(name): \(serverError)")
            #expect(server.connections[index].data.isEmpty, "\(name): plaintext got through")
            #expect(log.handshake == nil || log.data.isEmpty)
        }
        // The server still serves a good client.
        let good = try Self.clientContext(pki, certificate: try pki.issue("agent-ok"))
        let (channel, log) = try await connectTLS(port: server.port, context: good, group: server.group)
        try await channel.writeAndFlush(ByteBuffer(string: "still here"))
        try await log.wait("the good client's echo") { $0.data.count == 10 }
        try await channel.close()
        try await server.stop()
    }

    @Test func aClientRefusesBadServerCertificatesByName() async throws {
        let pki = try TestCertificates()
        let foreign = try TestCertificates.foreign()
        let cases: [(String, TLSConfiguration, String, (TLSError) -> Bool)] = [
            ("unknown CA", try Self.serverConfiguration(foreign, name: "impostor"), "localhost", {
                if case .unknownCA(let subject, let issuer) = $0 { return subject == "CN=impostor" && !issuer.isEmpty }
                return false
            }),
            ("hostname", try Self.serverConfiguration(pki, name: "node-b"), "node-c.example", {
                $0 == .hostnameMismatch(expected: "node-c.example", presented: ["node-b", "localhost", "127.0.0.1", "::1"])
            }),
            ("IP address", try Self.serverConfiguration(pki, name: "node-d"), "10.9.8.7", {
                if case .hostnameMismatch(let expected, _) = $0 { return expected == "10.9.8.7" }
                return false
            }),
        ]
        for (name, configuration, hostname, matches) in cases {
            let server = try await TLSServerFixture.start(store: TLSContextStore(configuration: configuration, role: .server))
            let (_, log) = try await connectTLS(port: server.port, context: try Self.clientContext(pki), hostname: hostname, group: server.group)
            try await log.wait("\(name): the client's error") { !$0.tlsErrors.isEmpty }
            let error = try #require(log.tlsErrors.first)
            #expect(matches(error), "\(name): \(error)")
            #expect(!error.description.isEmpty)
            try await server.stop()
        }
    }

    static func files(_ files: (certificate: String, key: String)) -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.certificateChainFile = files.certificate
        configuration.privateKeyFile = files.key
        return configuration
    }

    @Test func transfersAQuarterGibibyteInRandomChunksByteExact() async throws {
        let pki = try TestCertificates()
        let total = 256 * 1024 * 1024
        let sink = ChecksumSink()
        let server = try await TLSServerFixture.start(
            store: TLSContextStore(configuration: Self.serverConfiguration(pki), role: .server),
            sink: { ChecksumHandler(sink: sink) })
        let (channel, _) = try await connectTLS(port: server.port, context: try Self.clientContext(pki), group: server.group)
        var generator = SeededGenerator(seed: 256)
        var pattern = [UInt8](repeating: 0, count: 1 << 20)
        for index in pattern.indices { pattern[index] = UInt8.random(in: 0...255, using: &generator) }
        var sent = 0
        var crc: UInt32 = 0
        while sent < total {
            let size = min(total - sent, Int.random(in: 1...200_000, using: &generator))
            let offset = Int.random(in: 0..<(pattern.count - size), using: &generator)
            let chunk = pattern[offset..<(offset + size)]
            crc = chunk.withUnsafeBytes { CRC32C.update(crc, $0) }
            // Wait for each write so memory stays bounded while the peer reads.
            try await channel.writeAndFlush(ByteBuffer(bytes: chunk))
            sent += size
        }
        try await sink.wait(for: total)
        #expect(sink.received == total)
        #expect(sink.checksum == crc)
        try await channel.close()
        try await server.stop()
    }
}
