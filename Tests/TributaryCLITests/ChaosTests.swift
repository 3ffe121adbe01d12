import Foundation
import Testing
import TributaryTestSupport

/// Chaos with real processes: three `trib node`s (RF 2, write quorum 1,
/// mutual TLS) and two `trib agent`s tailing two files each while the files
/// are written; faults one after another — each kind once in a seeded order,
/// then seeded picks — for `TRIB_CHAOS_SECONDS` (default 60). Then every
/// numbered line must be on every node exactly once.
///
/// `TRIB_CHAOS_SEED` replays a run's choices (timings still vary). Faults
/// that need root (iptables, tmpfs) are skipped, and said so, otherwise.
extension AgentProcessTests {
@Suite struct ChaosTests {
    static let nodeIDs = ["node-a", "node-b", "node-c"]
    static let agentNames = ["a1", "a2"]
    static let files = ["app", "db"]

    /// The processes and files the faults act on.
    struct Scene {
        let cluster: ClusterSetup
        let agents: [ChaosAgent]
        let streams: ChaosLogStreams
        /// node-c's data directory and a1's state directory, on tmpfs (root only).
        let nodeDisk: ChaosTmpfs?
        let agentDisk: ChaosTmpfs?
    }

    @Test func killsStopsCutsFullDisksAndRotationsLoseAndDuplicateNoLine() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seconds = Double(environment["TRIB_CHAOS_SECONDS"] ?? "") ?? 60
        let seed = UInt64(environment["TRIB_CHAOS_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
        print("chaos: seed \(seed) (TRIB_CHAOS_SEED=\(seed) replays the choices), \(Int(seconds)) s of faults")

        // No free-space reserve: a full tmpfs is a real ENOSPC for node-c.
        let cluster = try ClusterSetup(Self.nodeIDs, writeQuorum: 1, extraStorage: "  min_free_bytes: 0")
        let agents = try Self.agentNames.map { try ChaosAgent(name: $0, cluster: cluster, files: Self.files) }
        var nodeDisk: ChaosTmpfs?
        var agentDisk: ChaosTmpfs?
        if ChaosTmpfs.isAvailable {
            nodeDisk = try ChaosTmpfs(linking: cluster.node("node-c").dataDirectory, megabytes: 256)
            agentDisk = try ChaosTmpfs(linking: agents[0].stateDirectory, megabytes: 64)
        }
        let streams = try ChaosLogStreams(agents.map { ($0.logDirectory, Self.files) })
        let scene = Scene(cluster: cluster, agents: agents, streams: streams, nodeDisk: nodeDisk, agentDisk: agentDisk)
        do {
            try await Self.run(scene, seconds: seconds, seed: seed)
        } catch {
            await Self.tearDown(scene)
            throw error
        }
        await Self.tearDown(scene)
    }

    static func run(_ scene: Scene, seconds: Double, seed: UInt64) async throws {
        try await scene.cluster.startAll()
        for agent in scene.agents { try await agent.start() }
        let writing = Task {
            while !Task.isCancelled {
                try scene.streams.write(10)
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        var random = SeededGenerator(seed: seed)
        var plan = ChaosFault.allCases.shuffled(using: &random)
        let started = Date()
        var applied: [ChaosFault: Int] = [:]
        var skipped: [ChaosFault: Int] = [:]
        while Date().timeIntervalSince(started) < seconds {
            let fault = plan.isEmpty ? ChaosFault.allCases.randomElement(using: &random)! : plan.removeFirst()
            let at = String(format: "%5.1f", Date().timeIntervalSince(started))
            if let done = try await apply(fault, scene, &random) {
                applied[fault, default: 0] += 1
                print("chaos: t=\(at) s \(done)")
            } else {
                skipped[fault, default: 0] += 1
                print("chaos: t=\(at) s skipped \(fault.rawValue): needs root\(fault == .cutNode ? " and iptables" : "")")
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1500, using: &random)))
        }
        writing.cancel()
        _ = await writing.result
        let written = scene.streams.written
        print("chaos: faults applied \(applied.map { "\($0.key.rawValue) ×\($0.value)" }.sorted()), skipped \(skipped.map { "\($0.key.rawValue) ×\($0.value)" }.sorted())")
        print("chaos: written \(written.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }), \(scene.streams.rotationCount) rotations")

        // Every process up again, then wait for delivery and hand-offs.
        for agent in scene.agents where !agent.isRunning {
            Issue.record("agent \(agent.name) died during the chaos: \(agent.recentOutput)")
            try await agent.start()
        }
        for id in nodeIDs where scene.cluster.process(id)?.isRunning != true {
            Issue.record("\(id) died during the chaos: \(scene.cluster.process(id)?.output.suffix(20) ?? [])")
            try await scene.cluster.start(id)
        }
        let cluster = scene.cluster
        let port = cluster.node("node-a").httpPort
        let delivered = Date()
        do {
            // A long run leaves a long backlog: 240 s of faults took 180 s to
            // catch up, and one 60 s run was still short after 240 s.
            try await cluster.wait("every written line on node-a", timeout: max(360, seconds * 1.5)) {
                try ChaosTally.count(port: port, agents: agentNames, written: written).allSatisfy { $0.lost.isEmpty }
            }
            print("chaos: every line on node-a \(String(format: "%.1f", Date().timeIntervalSince(delivered))) s after the last fault")
            try await cluster.wait("hints replayed on every node", timeout: 120) {
                try nodeIDs.allSatisfy { id in
                    (try cluster.status(id)["nodes"] as? [[String: Any]] ?? []).allSatisfy { ($0["hints_pending"] as? Int) == 0 }
                }
            }
        } catch {
            for agent in scene.agents { print("chaos: \(agent.name) output", agent.recentOutput) }
            for id in nodeIDs { print("chaos: \(id) output", cluster.process(id)?.output.suffix(20) ?? []) }
        }
        print("chaos: hints replayed \(String(format: "%.1f", Date().timeIntervalSince(delivered))) s after the last fault")

        // What the nodes did about the faults since they last started:
        // hints, quorum failures, BUSY answers (a coordinator whose own copy
        // failed answers BUSY); zeros left out.
        for id in nodeIDs {
            let metrics = (try? NodeHTTP.get(port: cluster.node(id).httpPort, "/metrics").body) ?? ""
            let counters = metrics.split(separator: "\n").filter { line in
                ["tributary_cluster_hints_", "tributary_cluster_quorum_failures", "tributary_cluster_replica_failures", "tributary_ingest_busy_total"]
                    .contains { line.hasPrefix($0) } && !line.hasSuffix(" 0")
            }
            print("chaos: \(id) counters \(counters.map { $0.replacingOccurrences(of: "tributary_", with: "") })")
        }
        for id in nodeIDs {
            let tallies = try ChaosTally.count(port: cluster.node(id).httpPort, agents: agentNames, written: written)
            for tally in tallies {
                print("chaos: \(id) \(tally)")
                #expect(tally.lost.isEmpty && tally.duplicated == 0 && tally.unexpected == 0, "\(id) \(tally) (seed \(seed))")
            }
        }
    }

    /// Applies `fault` and undoes it; what was done, or nil if it needs what
    /// this run lacks (root, iptables).
    static func apply(_ fault: ChaosFault, _ scene: Scene, _ random: inout SeededGenerator) async throws -> String? {
        let cluster = scene.cluster
        let node = nodeIDs.randomElement(using: &random)!
        let pause = Double.random(in: 1...3, using: &random)
        switch fault {
        case .killNode:
            await cluster.kill(node)
            try await Task.sleep(for: .seconds(pause))
            try await cluster.start(node)
            return "kill -9 \(node), restarted after \(String(format: "%.1f", pause)) s"
        case .stopNode:
            cluster.signal(node, SIGSTOP)
            try await Task.sleep(for: .seconds(pause + 1))
            cluster.signal(node, SIGCONT)
            return "SIGSTOP \(node) for \(String(format: "%.1f", pause + 1)) s"
        case .cutNode:
            let cut = NetworkCut(ports: [cluster.node(node).peerPort, cluster.node(node).agentPort])
            guard cut.apply() else { return nil }
            try await Task.sleep(for: .seconds(pause + 2))
            cut.remove()
            return "iptables cut of \(node) for \(String(format: "%.1f", pause + 2)) s"
        case .killAgent:
            let agent = scene.agents.randomElement(using: &random)!
            await agent.kill()
            try await Task.sleep(for: .seconds(pause / 2))
            try await agent.start()
            return "kill -9 agent \(agent.name), restarted after \(String(format: "%.1f", pause / 2)) s"
        case .fillAgentDisk:
            guard let disk = scene.agentDisk else { return nil }
            try disk.fill()
            try await Task.sleep(for: .seconds(pause + 1))
            disk.free()
            return "disk full under \(scene.agents[0].name)'s spool for \(String(format: "%.1f", pause + 1)) s"
        case .fillNodeDisk:
            guard let disk = scene.nodeDisk else { return nil }
            try disk.fill()
            try await Task.sleep(for: .seconds(pause + 1))
            disk.free()
            return "disk full under node-c's data for \(String(format: "%.1f", pause + 1)) s"
        case .rotateFile:
            let index = Int.random(in: 0..<scene.streams.streams.count, using: &random)
            try scene.streams.rotate(index)
            return "rename rotation of \(scene.streams.streams[index].path.split(separator: "/").suffix(3).joined(separator: "/"))"
        }
    }

    /// Stops agents, then nodes, then unmounts the tmpfs mounts.
    static func tearDown(_ scene: Scene) async {
        scene.nodeDisk?.free()
        scene.agentDisk?.free()
        for agent in scene.agents { _ = await agent.stop() }
        for id in nodeIDs { scene.cluster.signal(id, SIGCONT) }
        await scene.cluster.stopAll()
        scene.nodeDisk?.unmount()
        scene.agentDisk?.unmount()
    }
}
}
