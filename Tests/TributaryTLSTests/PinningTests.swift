import Testing
import TributaryTestSupport
import TributaryTLS

@Suite struct PinningTests {
    @Test func aPinnedKeyIsAcceptedAndAnyOtherRefused() throws {
        let pki = try TestCertificates()
        let (_, serverContext) = try InMemoryTLSTests.contexts(pki)
        let serverKey = try #require(serverContext.localIdentity?.publicKeySHA256)

        for (pins, shouldConnect) in [(["sha256/" + serverKey], true), ([serverKey], true), (["sha256/" + String(repeating: "A", count: 43) + "="], false)] {
            var configuration = TLSConfiguration()
            configuration.trustedCAFile = pki.caFile
            configuration.pinnedPublicKeys = pins
            let clientContext = try TLSContext(configuration: configuration, role: .client)
            let pair = try InMemoryTLSTests.Pair(clientContext: clientContext, serverContext: serverContext)
            try pair.connect()
            if shouldConnect {
                #expect(pair.clientLog.handshake != nil, "\(pins): \(pair.clientLog.errors)")
            } else {
                #expect(pair.clientLog.handshake == nil)
                #expect(pair.clientLog.tlsErrors == [.pinMismatch(presented: serverKey, pinned: pins)])
            }
        }
    }
}
