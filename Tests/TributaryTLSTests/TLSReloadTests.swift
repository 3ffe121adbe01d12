import Foundation
import NIOCore
import Testing
import TributaryPKI
import TributaryTestSupport
import TributaryTLS

/// Certificates renewed on disk reach new connections without a restart;
/// existing connections carry on; a bad renewal keeps the old context.
@Suite struct TLSReloadTests {
    @Test func newConnectionsGetTheRenewedCertificateAndOldOnesCarryOn() async throws {
        let pki = try TestCertificates()
        let first = try pki.issue("node-a")
        let store = try TLSContextStore(configuration: TLSSocketTests.files(first), role: .server)
        #expect(try store.reloadIfFilesChanged() == false, "nothing changed yet")
        let server = try await TLSServerFixture.start(store: store)
        let client = try TLSSocketTests.clientContext(pki)

        let (old, oldLog) = try await connectTLS(port: server.port, context: client, group: server.group)
        try await oldLog.wait("the first handshake") { $0.handshake != nil }
        let firstFingerprint = try #require(oldLog.handshake?.peer?.fingerprintSHA256)

        // Renew: same paths, new certificate and key.
        try await Task.sleep(for: .milliseconds(20))
        try pki.issue("node-a", dnsNames: ["node-a", "localhost", "node-a.renewed"])
        #expect(try store.reloadIfFilesChanged() == true)

        let (fresh, freshLog) = try await connectTLS(port: server.port, context: client, group: server.group)
        try await freshLog.wait("the second handshake") { $0.handshake != nil }
        let renewed = try #require(freshLog.handshake?.peer)
        #expect(renewed.fingerprintSHA256 != firstFingerprint)
        #expect(renewed.dnsNames.contains("node-a.renewed"))

        // The old connection still works on its old session.
        try await old.writeAndFlush(ByteBuffer(string: "still alive"))
        try await oldLog.wait("the old connection's echo") { $0.data.count == 11 }

        // A broken renewal is refused; the renewed context stays in use.
        try "-----BEGIN CERTIFICATE-----\ntruncated".write(toFile: first.certificate, atomically: true, encoding: .utf8)
        #expect(throws: TLSError.self) { try store.reloadIfFilesChanged() }
        #expect(try store.reloadIfFilesChanged() == false, "the same bad files are not retried")
        let (third, thirdLog) = try await connectTLS(port: server.port, context: client, group: server.group)
        try await thirdLog.wait("a handshake after the bad renewal") { $0.handshake != nil }
        #expect(thirdLog.handshake?.peer?.fingerprintSHA256 == renewed.fingerprintSHA256)

        for channel in [old, fresh, third] { try await channel.close() }
        try await server.stop()
    }
}
