import Foundation
import Testing
import TributaryModel
@testable import TributaryAlerting

@Suite struct NotificationBuilderTests {
    static let second: Int64 = 1_000_000_000

    func alert(_ state: AlertState) throws -> Alert {
        var alert = Alert(labels: try Labels(["alertname": "High", "job": "api"]), annotations: ["summary": "s"], state: state, value: 3,
                          activeAt: 1_700_000_000 * Self.second)
        alert.firedAt = 1_700_000_060 * Self.second
        if state == .inactive { alert.resolvedAt = 1_700_000_120 * Self.second }
        alert.explanation = "deploy v1.4.2 at 14:00"
        return alert
    }

    @Test func alertmanagerAlertsCarryTimesAndExplanation() throws {
        let now = 1_700_000_100 * Self.second
        let sent = NotificationBuilder.alertmanager([try alert(.firing), try alert(.inactive)], now: now, validFor: 240 * Self.second,
                                                    generatorURL: "http://x/graph")
        #expect(sent[0].startsAt == "2023-11-14T22:14:20.000000000Z")
        #expect(sent[0].endsAt == "2023-11-14T22:19:00.000000000Z")
        #expect(sent[1].endsAt == "2023-11-14T22:15:20.000000000Z")
        #expect(sent[0].labels == ["alertname": "High", "job": "api"])
        #expect(sent[0].annotations["explanation"] == "deploy v1.4.2 at 14:00")
    }

    @Test func webhookMessageIsVersionFourWithCommonLabels() throws {
        let message = NotificationBuilder.webhook([try alert(.firing)], status: "firing", groupKey: "k", receiver: "tributary",
                                                  externalURL: "http://x", generatorURL: "http://x/graph")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(message)) as? [String: Any]
        #expect(json?["version"] as? String == "4")
        #expect(json?["status"] as? String == "firing")
        #expect((json?["commonLabels"] as? [String: String])?["job"] == "api")
        let first = (json?["alerts"] as? [[String: Any]])?.first
        #expect(first?["endsAt"] as? String == NotificationBuilder.zeroTime)
        #expect((first?["fingerprint"] as? String)?.count == 16)
    }
}
