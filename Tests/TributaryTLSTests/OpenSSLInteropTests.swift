import Foundation
import NIOCore
import NIOPosix
import Testing
import TributaryTestSupport
import TributaryTLS

/// Our handler against the `openssl` binary's own client and server.
@Suite struct OpenSSLInteropTests {
    static func openssl() throws -> URL {
        try #require(ProcessResult.which("openssl"), "the openssl binary is needed (apt-get install openssl)")
    }

    static func startServer(_ arguments: [String]) async throws -> (RunningProcess, Int) {
        let process = try RunningProcess(try openssl(), ["s_server", "-accept", "127.0.0.1:0", "-rev"] + arguments)
        let line = try await process.waitForLine { $0.hasPrefix("ACCEPT") }
        let port = try #require(Int(line.split(separator: ":").last ?? ""), "no port in \(line)")
        return (process, port)
    }

    @Test(arguments: [TLSVersion.v1_2, .v1_3], [false, true])
    func ourClientTalksToOpenSSLServer(version: TLSVersion, mutual: Bool) async throws {
        let pki = try TestCertificates()
        let node = try pki.issue("node-a")
        let agent = try pki.issue("agent-1")
        var arguments = ["-cert", node.certificate, "-key", node.key, version == .v1_3 ? "-tls1_3" : "-tls1_2"]
        if mutual { arguments += ["-Verify", "1", "-CAfile", pki.caFile, "-verify_return_error"] }
        let (server, port) = try await Self.startServer(arguments)
        defer { server.terminate() }
        let context = try TLSSocketTests.clientContext(pki, certificate: mutual ? agent : nil)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (channel, log) = try await connectTLS(port: port, context: context, group: group)
        try await channel.writeAndFlush(ByteBuffer(string: "tributary\n"))
        try await log.wait("s_server's reversed echo") { String(decoding: $0.data, as: UTF8.self).contains("yratubirt") }
        #expect(log.handshake?.version == version.rawValue)
        #expect(log.handshake?.peer?.commonName == "node-a")
        try await channel.close()
        try await group.shutdownGracefully()
    }

    @Test func ourClientNamesTheDatesOfAnExpiredServerCertificate() async throws {
        let pki = try TestCertificates()
        let notAfter = Date() - 86400 * 35
        let expired = try pki.issue("old-node", notBefore: Date() - 86400 * 400, notAfter: notAfter)
        let (server, port) = try await Self.startServer(["-cert", expired.certificate, "-key", expired.key])
        defer { server.terminate() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (_, log) = try await connectTLS(port: port, context: try TLSSocketTests.clientContext(pki), group: group)
        try await log.wait("the expiry error") { !$0.tlsErrors.isEmpty }
        let error = try #require(log.tlsErrors.first)
        guard case .certificateExpired(.peer, let subject, let date) = error else {
            Issue.record("expected certificateExpired, got \(error)")
            return
        }
        #expect(subject == "CN=old-node")
        #expect(abs(date.timeIntervalSince(notAfter)) < 2)
        #expect(error.description.contains("expired on"))
        try await group.shutdownGracefully()
    }

    @Test(arguments: [TLSVersion.v1_2, .v1_3], [false, true])
    func openSSLClientTalksToOurServer(version: TLSVersion, mutual: Bool) async throws {
        let pki = try TestCertificates()
        let server = try await TLSServerFixture.start(
            store: TLSContextStore(configuration: TLSSocketTests.serverConfiguration(pki, mutual: mutual), role: .server))
        var arguments = ["s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", pki.caFile,
                         "-verify_return_error", "-verify_hostname", "localhost", "-servername", "localhost", "-brief",
                         version == .v1_3 ? "-tls1_3" : "-tls1_2"]
        if mutual {
            let agent = try pki.issue("agent-7")
            arguments += ["-cert", agent.certificate, "-key", agent.key]
        }
        let client = try RunningProcess(try Self.openssl(), arguments)
        defer { client.terminate() }
        _ = try await client.waitForLine { $0.contains("Verification: OK") || $0.contains("Verify return code: 0") }
        client.write("echo through tributary\n")
        // s_client may print its own lines around the echo; look inside lines.
        _ = try await client.waitForLine { $0.contains("echo through tributary") }
        let serverSide = try #require(server.connections.first)
        #expect(serverSide.handshake?.version == version.rawValue)
        #expect(serverSide.handshake?.peer?.commonName == (mutual ? "agent-7" : nil))
        client.closeInput()
        _ = await client.waitForExit()
        try await server.stop()
    }

    /// Our own context refuses to load an expired certificate, so a client
    /// presenting one is played by `openssl s_client`.
    @Test(arguments: ["expired", "not yet valid"])
    func ourServerNamesTheDatesOfABadClientCertificateAndKeepsServing(problem: String) async throws {
        let pki = try TestCertificates()
        let server = try await TLSServerFixture.start(
            store: TLSContextStore(configuration: TLSSocketTests.serverConfiguration(pki, mutual: true), role: .server))
        let agent = problem == "expired"
            ? try pki.issue("agent-old", notBefore: Date() - 86400 * 10, notAfter: Date() - 86400)
            : try pki.issue("agent-future", notBefore: Date() + 86400, notAfter: Date() + 86400 * 10)
        let client = try RunningProcess(try Self.openssl(), [
            "s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", pki.caFile, "-brief",
            "-cert", agent.certificate, "-key", agent.key,
        ])
        defer { client.terminate() }
        client.write("must not arrive\n")
        let serverSide = try await { () async throws -> EventLog in
            while server.connections.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            return server.connections[0]
        }()
        try await serverSide.wait("the server's error") { !$0.tlsErrors.isEmpty }
        let error = try #require(serverSide.tlsErrors.first)
        switch (problem, error) {
        case ("expired", .certificateExpired(.peer, "CN=agent-old", let notAfter)):
            #expect(notAfter < Date())
        case ("not yet valid", .certificateNotYetValid(.peer, "CN=agent-future", let notBefore)):
            #expect(notBefore > Date())
        default:
            Issue.record("\(problem): unexpected \(error)")
        }
        #expect(serverSide.data.isEmpty)

        let good = try TLSSocketTests.clientContext(pki, certificate: try pki.issue("agent-ok"))
        let (channel, log) = try await connectTLS(port: server.port, context: good, group: server.group)
        try await channel.writeAndFlush(ByteBuffer(string: "ok"))
        try await log.wait("the good client's echo") { $0.data.count == 2 }
        try await channel.close()
        try await server.stop()
    }

    /// TLS 1.2 renegotiation (s_client's interactive `R`) is refused: the
    /// client gets no new handshake, and the server keeps serving.
    @Test func ourServerRefusesRenegotiation() async throws {
        let pki = try TestCertificates()
        let server = try await TLSServerFixture.start(
            store: TLSContextStore(configuration: TLSSocketTests.serverConfiguration(pki), role: .server))
        let client = try RunningProcess(try Self.openssl(), [
            "s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", pki.caFile, "-tls1_2",
        ])
        defer { client.terminate() }
        _ = try await client.waitForLine { $0.contains("Verify return code: 0") }
        client.write("R\n")
        _ = try await client.waitForLine { $0.contains("RENEGOTIATING") }
        // OpenSSL's client treats the refusal (a no_renegotiation alert) as
        // fatal: "…:error:0A000153:SSL routines:…:no renegotiation:…".
        let refusal = try await client.waitForLine { $0.contains("no renegotiation") }
        #expect(refusal.contains(":error:"), "\(refusal)")
        #expect(server.connections.first?.handshake != nil)

        let good = try TLSSocketTests.clientContext(pki)
        let (channel, log) = try await connectTLS(port: server.port, context: good, group: server.group)
        try await channel.writeAndFlush(ByteBuffer(string: "after"))
        try await log.wait("an echo after the refused renegotiation") { $0.data.count == 5 }
        try await channel.close()
        try await server.stop()
    }

    @Test func ourServerRefusesAnOldProtocolVersionAndSaysSo() async throws {
        let pki = try TestCertificates()
        let server = try await TLSServerFixture.start(
            store: TLSContextStore(configuration: TLSSocketTests.serverConfiguration(pki), role: .server))
        let client = try RunningProcess(try Self.openssl(), [
            "s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0",
        ])
        defer { client.terminate() }
        _ = await client.waitForExit()
        let serverSide = try #require(server.connections.first)
        try await serverSide.wait("the server's error") { !$0.tlsErrors.isEmpty }
        let error = try #require(serverSide.tlsErrors.first)
        guard case .protocolVersionTooOld = error else {
            Issue.record("expected protocolVersionTooOld, got \(error)")
            return
        }
        #expect(error.description.contains("TLS 1.2 is the minimum"))
        try await server.stop()
    }

    @Test func ourServerTellsAPlainTCPClientItIsNotTLS() async throws {
        let pki = try TestCertificates()
        let server = try await TLSServerFixture.start(
            store: TLSContextStore(configuration: TLSSocketTests.serverConfiguration(pki), role: .server))
        let channel = try await ClientBootstrap(group: server.group).connect(host: "127.0.0.1", port: server.port).get()
        try await channel.writeAndFlush(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        let serverSide = try #require(server.connections.first)
        try await serverSide.wait("the server's error") { !$0.tlsErrors.isEmpty }
        guard case .notTLS = try #require(serverSide.tlsErrors.first) else {
            Issue.record("expected notTLS, got \(serverSide.tlsErrors)")
            return
        }
        try? await channel.close()  // the server has closed it already
        try await server.stop()
    }
}
