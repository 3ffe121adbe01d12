import Foundation
import NIOCore
import Testing
import TributaryModel
import TributaryTestSupport
import TributaryWire

/// Partitions over a node's life: late data, sealing and digests,
/// retention, a corrupted block, full disks. Real processes and files.
@Suite struct NodeStorageTests {
    static let second = NodeQueryTests.second
    static let hour = 3600 * second
    /// Flush quickly and seal as soon as a bucket has ended.
    static let fastStorage = "storage:\n  flush_interval: 200ms\n  seal_grace: 0s\n"

    /// Lines numbered `range`, about `secondsAgo` before now, in stream
    /// `{source="s"}`, spread over a minute. Lines an hour or more late are
    /// moved to 20 minutes into their hour, so that they never straddle two
    /// buckets (which a run in the first minute of an hour otherwise did).
    static func lines(_ range: Range<Int>, secondsAgo: Int64, host: String = "h1") throws -> [Record] {
        var ago = secondsAgo
        if secondsAgo >= 3600 {
            let now = NodeQueryTests.now / Self.second
            let target = now - secondsAgo
            ago = now - (target - target % 3600 + 1200)
        }
        return try range.map { number in
            try NodeQueryTests.log(-ago + Int64(number % 60), ["source": "s", "host": host], "line \(number)")
        }
    }

    static func partitions(_ http: Int) throws -> [[String: Any]] {
        (try NodeHTTP.get(port: http, "/api/v1/partitions").json["data"] as? [[String: Any]]) ?? []
    }

    /// Polls until `condition` holds (or fails the test after `seconds`).
    static func eventually(_ what: String, seconds: Double = 20, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        if try condition() { return }
        Issue.record("timed out waiting for \(what)")
    }

    static func sealed(_ http: Int) throws -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for partition in try partitions(http) where partition["sealed"] as? Bool == true {
            result[partition["name"] as! String] = partition
        }
        return result
    }

    @Test func lateDataLandsInItsOwnBucketAndSealedPartitionsHaveEqualDigestsOnEqualData() async throws {
        let setup = try NodeSetup(extra: Self.fastStorage)
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        // Three hours late: its bucket ended long ago; it is stored there and sealed.
        let late = try Self.lines(0..<300, secondsAgo: 3 * Self.hour / Self.second)
        try await NodeQueryTests.send(late, port: port, caFile: setup.pki.caFile, size: 40)
        // Sealing may start before the last batches arrive: wait for all 300.
        try await Self.eventually("the late partition to be sealed with every record") {
            try Self.sealed(http).values.first?["records"] as? Int == 300
        }
        let first = try #require(Self.sealed(http).values.first)
        #expect(first["records"] as? Int == 300)
        let name = first["name"] as! String
        let result = try NodeHTTP.query(port: http, #"{source="s"}"#, ["start": "4h", "limit": "1000"])
        #expect(Set(result.messages) == Set((0..<300).map { "line \($0)" }))
        #expect(result.messages.count == 300)

        // Another node gets the same records in another order and other batches.
        let twin = try NodeSetup(extra: Self.fastStorage)
        let (twinNode, twinPort, twinHTTP) = try await twin.startWithHTTP()
        defer { twinNode.terminate() }
        try await NodeQueryTests.send(late.reversed(), port: twinPort, caFile: twin.pki.caFile, size: 7)
        try await Self.eventually("the twin's partition to be sealed") { try Self.sealed(twinHTTP)[name]?["records"] as? Int == 300 }
        let twinPartitions = try Self.partitions(twinHTTP)
        #expect(try Self.sealed(twinHTTP)[name]?["sha256"] as? String == first["sha256"] as? String, "\(twinPartitions) vs \(first)")

        // More late data for the sealed bucket: stored, sealed again, new digest.
        try await NodeQueryTests.send(try Self.lines(300..<310, secondsAgo: 3 * Self.hour / Self.second), port: port, caFile: setup.pki.caFile,
                                      agent: "agent-late")
        try await Self.eventually("the partition to be sealed again") { try Self.sealed(http)[name]?["records"] as? Int == 310 }
        #expect(try Self.sealed(http)[name]?["sha256"] as? String != first["sha256"] as? String)
        #expect(try NodeHTTP.query(port: http, #"{source="s"}"#, ["start": "4h", "limit": "1000"]).messages.count == 310)
        let files = try FileManager.default.contentsOfDirectory(atPath: setup.dataDirectory + "/partitions/acme/" + name)
        #expect(files.contains("SEAL"))
        #expect(files.contains { $0.hasPrefix("sl-") })
    }

    @Test func retentionDeletesWholePartitionsPastTheTenantsLimit() async throws {
        let setup = try NodeSetup(extra: Self.fastStorage + "  retention: 2h\n")
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        try await NodeQueryTests.send(try Self.lines(0..<50, secondsAgo: 5 * Self.hour / Self.second) + Self.lines(50..<60, secondsAgo: 120),
                                      port: port, caFile: setup.pki.caFile)
        try await Self.eventually("the old partition to be deleted") {
            try NodeHTTP.query(port: http, #"{source="s"}"#, ["start": "6h", "limit": "1000"]).messages.count == 10
        }
        #expect(try Self.partitions(http).count == 1)
        #expect(node.output.contains { $0.contains("deleted partition acme/") && $0.contains("older than the tenant's retention") })
    }

    @Test func aCorruptBlockIsQuarantinedAndEverythingElseIsServed() async throws {
        let setup = try NodeSetup(extra: Self.fastStorage)
        let (node, port, http) = try await setup.startWithHTTP()
        try await NodeQueryTests.send(try Self.lines(0..<200, secondsAgo: 3 * Self.hour / Self.second)
                                      + Self.lines(200..<400, secondsAgo: 5 * Self.hour / Self.second),
                                      port: port, caFile: setup.pki.caFile)
        try await Self.eventually("both partitions to be sealed with all their records") {
            try Self.sealed(http).values.compactMap { $0["records"] as? Int } == [200, 200]
        }
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: 10) == 0)

        // Damage the newer partition's sealed block in the middle of its data.
        let newer = try #require(Self.sealedNames(setup).max())
        let directory = setup.dataDirectory + "/partitions/acme/" + newer
        // The sealed block SEAL names (an older one may wait for deletion).
        let seal = try String(contentsOfFile: directory + "/SEAL", encoding: .utf8)
        let through = try #require(seal.split(separator: "\n").first { $0.hasPrefix("through ") }?.dropFirst(8))
        let block = directory + "/sl-" + String(repeating: "0", count: 16 - through.count) + through + ".tblk"
        #expect(FileManager.default.fileExists(atPath: block))
        let handle = try #require(FileHandle(forUpdatingAtPath: block))
        try handle.seek(toOffset: 40)
        handle.write(Data(repeating: 0x5A, count: 64))
        try handle.close()

        let (restarted, _, restartedHTTP) = try await setup.startWithHTTP()
        defer { restarted.terminate() }
        let result = try NodeHTTP.query(port: restartedHTTP, #"{source="s"}"#, ["start": "6h", "limit": "1000"])
        #expect(result.status == 200)
        let listing = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(Set(result.messages) == Set((200..<400).map { "line \($0)" }), "the undamaged partition is served whole; \(listing) \(restarted.output)")
        let warnings = (result.json["warnings"] as? [String]) ?? []
        #expect(warnings.contains { $0.contains(block) }, "\(block) not in \(warnings)")
        try await Self.eventually("the log line naming the file") {
            restarted.output.contains { $0.contains("quarantined block \(block)") }
        }
        #expect(FileManager.default.fileExists(atPath: block + ".corrupt"))
        #expect(!FileManager.default.fileExists(atPath: block))
        #expect(try NodeHTTP.get(port: restartedHTTP, "/metrics").body.contains("tributary_blocks_quarantined_total 1\n"))
        // The node keeps taking data.
        try await NodeQueryTests.send(try Self.lines(400..<410, secondsAgo: 60), port: restarted.portFromOutput(), caFile: setup.pki.caFile, agent: "agent-after")
        #expect(try NodeHTTP.query(port: restartedHTTP, #"{source="s"}"#, ["start": "10m"]).messages.count == 10)
    }

    static func sealedNames(_ setup: NodeSetup) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: setup.dataDirectory + "/partitions/acme").filter {
            FileManager.default.fileExists(atPath: setup.dataDirectory + "/partitions/acme/\($0)/SEAL")
        }
    }

    /// `max_disk_bytes`: the node stops acknowledging with BUSY, says so on
    /// /readyz and /metrics, and loses nothing it acknowledged.
    @Test func theDiskLimitAnswersBusyAndKeepsWhatWasAcknowledged() async throws {
        let setup = try NodeSetup(extra: "storage:\n  max_disk_bytes: 40KiB\n")
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }
        let client = try await WireTestClient.connect(port: port, caFile: setup.pki.caFile)
        try await client.send(NodeQueryTests.hello())
        var acknowledged: [UInt64] = []
        var busy = false
        for sequence in UInt64(1)...200 where !busy {
            let records = try Self.lines(Int(sequence) * 100..<Int(sequence) * 100 + 100, secondsAgo: 60)
            try await client.send(.batch(try BatchEncoder().encode(records, agentID: "agent-q", sequence: sequence)))
            try await client.wait("an answer to \(sequence)") { frames in
                frames.contains { frame in
                    switch frame {
                    case .ack(let ack): return ack.cumulative >= sequence
                    case .busy(let answer): return answer.sequence == sequence
                    default: return false
                    }
                }
            }
            if client.frames.contains(where: { if case .busy(let answer) = $0 { return answer.sequence == sequence } else { return false } }) {
                busy = true
            } else {
                acknowledged.append(sequence)
                try await Task.sleep(for: .milliseconds(30))
            }
        }
        await client.close()
        #expect(busy, "the limit is reached well before 200 batches of 100 lines")
        let reason = client.frames.compactMap { frame -> String? in if case .busy(let answer) = frame { return answer.reason } else { return nil } }.first
        #expect(reason?.contains("storage.max_disk_bytes") == true, "\(reason ?? "")")
        let ready = try NodeHTTP.get(port: http, "/readyz", token: nil)
        #expect(ready.status == 503 && ready.body.contains("disk limit"))
        #expect(try NodeHTTP.get(port: http, "/metrics").body.contains("tributary_ingest_busy_total{reason=\"disk_limit\"} 1\n"))
        let stored = try NodeHTTP.query(port: http, #"{source="s"}"#, ["limit": "100000"]).messages
        #expect(stored.count == acknowledged.count * 100)
    }

    /// A real full file system (a small tmpfs, so root only: CI runs as
    /// root): ENOSPC answers BUSY, and once space returns, ingest resumes by
    /// itself and every acknowledged line is there once.
    @Test(.enabled(if: getuid() == 0, "needs root to mount a tmpfs"))
    func aFullFileSystemAnswersBusyAndRecoversWhenSpaceReturns() async throws {
        let mount = FileManager.default.temporaryDirectory.appendingPathComponent("trib-tmpfs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        #expect(try ProcessResult.run(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mount]).status == 0)
        defer { _ = try? ProcessResult.run(URL(fileURLWithPath: "/bin/umount"), [mount]) }
        let setup = try NodeSetup(extra: "storage:\n  min_free_bytes: 0\n  flush_interval: 60s\n")
        try FileManager.default.createSymbolicLink(atPath: setup.dataDirectory, withDestinationPath: mount)
        let (node, port, http) = try await setup.startWithHTTP()
        defer { node.terminate() }

        // Fill the file system to the last byte.
        let ballast = mount + "/ballast"
        #expect(FileManager.default.createFile(atPath: ballast, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: ballast))
        let block = Data(repeating: 7, count: 64 * 1024)
        while (try? handle.write(contentsOf: block)) != nil {}
        for size in [4096, 512, 64, 1] { while (try? handle.write(contentsOf: Data(repeating: 7, count: size))) != nil {} }
        try? handle.close()

        let client = try await WireTestClient.connect(port: port, caFile: setup.pki.caFile)
        try await client.send(NodeQueryTests.hello())
        let records = try Self.lines(0..<200, secondsAgo: 60)
        try await client.send(.batch(try BatchEncoder().encode(records, agentID: "agent-q", sequence: 1)))
        try await client.wait("BUSY") { frames in frames.contains { if case .busy = $0 { return true } else { return false } } }
        #expect(client.acknowledged(among: [1]).isEmpty)
        #expect(node.isRunning)

        try FileManager.default.removeItem(atPath: ballast)
        try await client.send(.batch(try BatchEncoder().encode(records, agentID: "agent-q", sequence: 1)))
        try await client.wait("the ACK once space is back") { _ in client.acknowledged(among: [1]) == [1] }
        await client.close()
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: 10) == 0)
        let (restarted, _, restartedHTTP) = try await setup.startWithHTTP()
        defer { restarted.terminate() }
        #expect(try NodeHTTP.query(port: restartedHTTP, #"{source="s"}"#, ["limit": "1000"]).messages.count == 200)
        _ = http
    }
}

extension RunningProcess {
    /// The agent port from a node's start-up line.
    func portFromOutput() -> Int {
        let line = output.first { $0.contains("accepting agents on") } ?? ""
        let address = line.components(separatedBy: "accepting agents on ").last?.split(separator: " ").first ?? ""
        return Int(address.split(separator: ":").last ?? "") ?? 0
    }
}
