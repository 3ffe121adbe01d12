import Foundation
import Testing
@testable import TributaryNode

/// HTTP Basic: tenant as user, token as password.
@Suite struct BasicCredentialsTests {
    static let credentials = IngestCredentials(tokens: ["t0k:en": "acme"])

    static func header(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func theUserMustBeTheTokensTenant() throws {
        let basic = try #require(BasicCredentials(headerValue: Self.header("acme:t0k:en")))
        #expect(basic.user == "acme" && basic.password == "t0k:en", "only the first colon separates")
        let identity = try basic.identity(in: Self.credentials).get()
        #expect(identity.tenant == "acme" && identity.method == .basic)

        let wrongUser = try #require(BasicCredentials(headerValue: Self.header("globex:t0k:en")))
        guard case .failure(let failure) = wrongUser.identity(in: Self.credentials) else {
            Issue.record("a token under another tenant's name was accepted")
            return
        }
        #expect(failure.status == .unauthorized && failure.message.contains("\"globex\" is not the tenant"))
        guard case .failure(let unknown) = try #require(BasicCredentials(headerValue: Self.header("acme:nope"))).identity(in: Self.credentials) else {
            Issue.record("an unknown token was accepted")
            return
        }
        #expect(unknown.message.contains("not one of this node's tokens"))
    }

    @Test func malformedValuesAreNoCredentials() {
        #expect(BasicCredentials(headerValue: "not base64!") == nil)
        #expect(BasicCredentials(headerValue: Self.header("no colon")) == nil)
        #expect(BasicCredentials(headerValue: Data([0xff, 0x3a]).base64EncodedString()) == nil)
    }
}
