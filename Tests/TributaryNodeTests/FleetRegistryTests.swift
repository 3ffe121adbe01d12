import Testing
import TributaryAPI
import TributaryModel
@testable import TributaryNode
import TributaryWire

/// The fleet's rules without sockets or clocks: REPORT only with the
/// capability, sources keyed from labels, silence against each source's
/// own baseline, missing agents, merging nodes' views.
@Suite struct FleetRegistryTests {
    static let second: Int64 = 1_000_000_000
    static let start: Int64 = 1_800_000_000 * second

    static func settings() -> FleetSettings {
        var settings = FleetSettings()
        settings.missingAfter = .seconds(300)
        settings.silentAfter = .seconds(900)
        settings.silentFactor = 10
        return settings
    }

    static func log(_ labels: [String: String]) throws -> Record {
        .log(LogRecord(timestamp: start, severity: .info, labels: try Labels(labels), message: "line"))
    }

    @Test func reportIsAcceptedOnlyWhenWelcomeGrantedIt() {
        let credentials = IngestCredentials(tokens: ["s3cret": "acme"], certificateNames: [:])
        func session(_ capabilities: Capabilities) -> (IngestSession, Capabilities?) {
            var session = IngestSession(nodeID: "node-a", credentials: credentials)
            let action = session.receive(.hello(Hello(agentID: "a-1", token: Array("s3cret".utf8), capabilities: capabilities,
                                                      software: "trib/0.1.0", host: "web-1")), certificateName: nil)
            guard case .send(.welcome(let welcome)) = action else { return (session, nil) }
            return (session, welcome.capabilities)
        }
        var (new, granted) = session([.deflate, .report])
        #expect(granted == [.deflate, .report])
        var report = AgentReport()
        report.host = "web-1"
        #expect(new.receive(.report(report), certificateName: nil) == .report(report, agentID: "a-1", tenant: "acme", software: "trib/0.1.0"))
        var (old, oldGranted) = session(.deflate)
        #expect(oldGranted == .deflate)
        guard case .sendAndClose(.goAway(let goAway)) = old.receive(.report(report), certificateName: nil) else {
            Issue.record("a REPORT without the capability must end the connection")
            return
        }
        #expect(goAway.code == .protocolError)
    }

    @Test func sourcesAreKeyedFromTheirLabels() throws {
        #expect(FleetSourceKey.of(try Labels(["host": "switch-7", "source": "syslog", "app": "link"]), push: nil).key == "syslog:switch-7")
        #expect(FleetSourceKey.of(try Labels(["host": "web-1", "source": "file", "filename": "/var/log/app.log"]), push: nil).key
                == "file:web-1:/var/log/app.log")
        #expect(FleetSourceKey.of(try Labels(["job": "node", "instance": "10.0.0.5:9100", "host": "web-1"]), push: nil).key
                == "scrape:node/10.0.0.5:9100")
        #expect(FleetSourceKey.of(try Labels(["service_name": "checkout"]), push: "otlp_logs").key == "push:otlp_logs:checkout")
        #expect(FleetSourceKey.of(try Labels(["host": "web-1"]), push: nil).key == "agent:web-1")
    }

    @Test func aSourceIsSilentAgainstItsOwnBaseline() throws {
        let registry = FleetRegistry(nodeID: "node-a", settings: Self.settings())
        // A switch: one line every 20 s for 10 minutes; a batch job: one line an hour for a day.
        for minute in stride(from: 0, to: 600, by: 20) {
            registry.received([try Self.log(["host": "switch-7", "source": "syslog"])], tenant: "acme", at: Self.start + Int64(minute) * Self.second)
        }
        for hour in 0..<24 {
            registry.received([try Self.log(["host": "batch-1", "source": "syslog"])], tenant: "acme",
                              at: Self.start - 86_400 * Self.second + Int64(hour) * 3600 * Self.second)
        }
        let lastSwitch = Self.start + 580 * Self.second
        func silent(at now: Int64) -> [String] {
            registry.sources(tenant: "acme", at: now).filter(\.silent).map(\.key)
        }
        // 14 minutes after the switch's last line: not yet (the floor is 15 minutes).
        #expect(silent(at: lastSwitch + 14 * 60 * Self.second) == [])
        #expect(silent(at: lastSwitch + 16 * 60 * Self.second) == ["syslog:switch-7"])
        let switchSource = try #require(registry.sources(tenant: "acme", at: lastSwitch).first { $0.key == "syslog:switch-7" })
        #expect(switchSource.usualPerMinute > 3 && switchSource.usualPerMinute < 3.2)
        // The hourly job is silent only after 10 of its intervals.
        let lastJob = Self.start - 86_400 * Self.second + 23 * 3600 * Self.second
        #expect(!silent(at: lastJob + 9 * 3600 * Self.second).contains("syslog:batch-1"))
        #expect(silent(at: lastJob + 11 * 3600 * Self.second).contains("syslog:batch-1"))
        // Another tenant sees none of it.
        #expect(registry.sources(tenant: "globex", at: lastSwitch).isEmpty)
    }

    @Test func anAgentIsMissingOnlyWhenDisconnectedAndQuiet() {
        let registry = FleetRegistry(nodeID: "node-a", settings: Self.settings())
        registry.connected(tenant: "acme", agentID: "a-1", host: "web-1", software: "trib/0.0.9", at: Self.start)
        #expect(registry.agents(tenant: "acme", at: Self.start + 3600 * Self.second).first?.state == "up", "connected")
        registry.disconnected(tenant: "acme", agentID: "a-1", at: Self.start + 10 * Self.second)
        let agents = registry.agents(tenant: "acme", at: Self.start + 400 * Self.second)
        #expect(agents.first?.state == "missing")
        #expect(agents.first?.version == "0.0.9", "an agent without REPORT is known by its HELLO")
        #expect(agents.first?.reports == false)
        let findings = FleetAudit.findings(agents: agents, sources: [], now: Self.start + 400 * Self.second)
        #expect(findings.map(\.kind) == ["missing_agent"])
        #expect(findings.first?.since == agents.first?.lastSeen)
    }

    @Test func dropsAreFindingsSinceTheyWereFirstReported() {
        let registry = FleetRegistry(nodeID: "node-a", settings: Self.settings())
        registry.connected(tenant: "acme", agentID: "a-1", host: "edge-1", software: "trib/0.1.0", at: Self.start)
        var report = AgentReport()
        report.host = "edge-1"
        report.startedMilliseconds = 1
        registry.report(report, tenant: "acme", agentID: "a-1", at: Self.start)
        report.droppedRecords = 50
        report.udpDroppedRecords = 42
        registry.report(report, tenant: "acme", agentID: "a-1", at: Self.start + 60 * Self.second)
        registry.report(report, tenant: "acme", agentID: "a-1", at: Self.start + 120 * Self.second)
        let findings = FleetAudit.findings(agents: registry.agents(tenant: "acme", at: Self.start + 130 * Self.second), sources: [],
                                           now: Self.start + 130 * Self.second)
        #expect(findings.map(\.kind).sorted() == ["spool_drop", "udp_drop"])
        #expect(findings.allSatisfy { FleetMerge.seen($0.since) == Self.start + 60 * Self.second })
    }

    @Test func holesInAnAgentsSequencesAreGapsUnlessAnotherNodeAnsweredThem() {
        let a = FleetRegistry(nodeID: "node-a", settings: Self.settings())
        let b = FleetRegistry(nodeID: "node-b", settings: Self.settings())
        for node in [a, b] { node.connected(tenant: "acme", agentID: "a-1", host: "web-1", software: "trib/0.1.0", at: Self.start) }
        for sequence in [UInt64](1...10) + [UInt64](13...20) + [25] {
            a.answered(tenant: "acme", agentID: "a-1", sequence: sequence, at: Self.start + Int64(sequence) * Self.second)
        }
        let now = Self.start + 1000 * Self.second
        let alone = FleetAudit.findings(agents: a.agents(tenant: "acme", at: now), sources: [], now: now)
        #expect(alone.filter { $0.kind == "sequence_gap" }.map(\.detail.description).count == 2, "\(alone)")
        #expect(alone.first { $0.kind == "sequence_gap" }?.detail.contains("11–12") == true, "\(alone)")
        // The agent failed over for 11 and 12: node-b answered them.
        b.answered(tenant: "acme", agentID: "a-1", sequence: 12, at: Self.start + 12 * Self.second)
        b.answered(tenant: "acme", agentID: "a-1", sequence: 11, at: Self.start + 11 * Self.second)
        let merged = FleetMerge.agents([a.agents(tenant: "acme", at: now), b.agents(tenant: "acme", at: now)], settings: Self.settings(), now: now)
        let gaps = FleetAudit.findings(agents: merged, sources: [], now: now).filter { $0.kind == "sequence_gap" }
        #expect(gaps.count == 1)
        #expect(gaps.first?.detail.contains("21–24") == true, "\(gaps)")
        // A hole younger than the grace time is not yet a gap (a retry may fill it).
        #expect(FleetAudit.findings(agents: merged, sources: [], now: Self.start + 30 * Self.second).filter { $0.kind == "sequence_gap" }.isEmpty)
    }

    @Test func mergingKeepsTheLatestAgentAndAddsSourceCounts() throws {
        let a = FleetRegistry(nodeID: "node-a", settings: Self.settings())
        let b = FleetRegistry(nodeID: "node-b", settings: Self.settings())
        a.connected(tenant: "acme", agentID: "a-1", host: "web-1", software: "trib/0.1.0", at: Self.start)
        a.disconnected(tenant: "acme", agentID: "a-1", at: Self.start + Self.second)
        b.connected(tenant: "acme", agentID: "a-1", host: "web-1", software: "trib/0.1.0", at: Self.start + 600 * Self.second)
        for node in [a, b] {
            for step in 0..<3 {
                node.received([try Self.log(["host": "sw", "source": "syslog"])], tenant: "acme", at: Self.start + Int64(step) * Self.second)
            }
        }
        let now = Self.start + 700 * Self.second
        let agents = FleetMerge.agents([a.agents(tenant: "acme", at: now), b.agents(tenant: "acme", at: now)], settings: Self.settings(), now: now)
        #expect(agents.count == 1)
        #expect(agents.first?.state == "up")
        #expect(agents.first?.node == "node-b")
        let sources = FleetMerge.sources([a.sources(tenant: "acme", at: now), b.sources(tenant: "acme", at: now)], settings: Self.settings(), now: now)
        #expect(sources.first?.records == 6)
    }
}
