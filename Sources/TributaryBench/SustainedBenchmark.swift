import Foundation
import NIOCore
import NIOPosix
import TributaryModel
import TributaryNode
import TributaryStorage
import TributaryWire

/// `trib bench sustained`: agents push Loghub batches over TLS into one
/// node for minutes, with the whole storage path running: write-ahead
/// log, heads, flushes to blocks, and sealing of every partition whose
/// bucket has ended. Records carry the current time, and the node cuts
/// partitions of `partitionSpan` (1 minute, the shortest a configuration
/// allows), so a partition ends, is flushed and is sealed every minute.
///
/// The benchmark finds the rate itself. It first steps the offered load up
/// (×`stepFactor` every `stepSeconds`) while the node acknowledges what is
/// offered (≥ 95 %, no BUSY answer); then it holds the highest such rate
/// for `seconds` and checks that sealing keeps up: no BUSY, ≥ 95 % of the
/// offered records acknowledged, and no ended partition left unsealed for
/// more than `2 × partitionSpan`. When that fails it holds a step lower
/// (at most `fallbacks` times).
public struct SustainedBenchmark: Sendable {
    /// Seconds the found rate is held (the issue asks for at least 5 minutes).
    public var seconds = 300.0
    /// Seconds per probing step.
    public var stepSeconds = 20.0
    public var startRate = 100_000.0
    public var stepFactor = 1.5
    public var maxSteps = 12
    /// Lower rates tried when the held rate turns out unbounded.
    public var fallbacks = 2
    public var connections = 4
    public var recordBytes = 200
    public var batchRecords = 1000
    /// Width of the node's partitions, in seconds.
    public var partitionSpan = 60.0

    public init() {}

    /// What one held phase measured.
    struct Phase {
        var offered: Double
        var acknowledged: Double
        var busy: Int
        var maxSealLag: Double
        var maxHeadBytes: Int
        var sealed: Int
        var seconds: Double

        /// The node acknowledged (nearly) all that was offered, never BUSY.
        var keptUp: Bool { busy == 0 && acknowledged >= 0.95 * offered }
    }

    public func run(corpus: LoghubCorpus, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> [BenchmarkReport] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trib-bench-sustained-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let span = Int64(partitionSpan * 1e9)
        var storage = PartitionSettings()
        storage.span = span
        storage.sealGrace = 0
        storage.retireDelay = 0
        // Sealed partitions are deleted soon after, so minutes of load fit the disk.
        storage.retention = max(4 * span, 120_000_000_000)
        let node = try await BenchNode.start(directory: directory, token: "bench", storage: storage)
        let stamper = try SustainedRecordStamper(corpus: corpus, recordBytes: recordBytes, batchRecords: batchRecords)
        let pool = IngestBatchPool(try stamper.batches(at: Self.now()))
        let restamping = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if let batches = try? stamper.batches(at: Self.now()) { pool.replace(with: batches) }
            }
        }
        let pacer = LoadPacer(recordsPerSecond: startRate)
        let statistics = IngestLoadStatistics()
        let caFile = directory.appendingPathComponent("ca.pem").path
        let group: MultiThreadedEventLoopGroup
        let channels: [Channel]
        do {
            (group, channels) = try await IngestLoad.connect(ports: [node.port], connections: connections, caFile: caFile, pool: pool, pacer: pacer,
                                                             token: "bench", agentPrefix: "sustained", rawBytesPerBatch: batchRecords * recordBytes,
                                                             statistics: statistics)
        } catch {
            restamping.cancel()
            await node.stop()
            throw error
        }
        var report = BenchmarkReport(bench: "sustained")
        do {
            // Probe: step the offered load up while the node keeps up (down
            // from the start rate until it does, if it does not at first).
            var best: Double?
            var steps: [String] = []
            var rate = startRate
            var goingDown = false
            for _ in 0..<maxSteps {
                pacer.setRate(rate)
                try await Task.sleep(for: .seconds(2))
                let phase = try await hold(node, statistics: statistics, offered: rate, seconds: stepSeconds)
                steps.append("\(Int(rate)):\(Int(phase.acknowledged))")
                progress("step: offered \(Int(rate)) records/s, acknowledged \(Int(phase.acknowledged)), BUSY \(phase.busy), heads \(phase.maxHeadBytes >> 20) MiB")
                if phase.keptUp {
                    best = rate
                    if goingDown { break }
                    rate *= stepFactor
                } else {
                    if best != nil { break }
                    goingDown = true
                    rate /= stepFactor
                }
            }
            guard var held = best else {
                throw IngestBenchmarkError.failed("the node kept up with none of the \(steps.count) steps down to \(Int(rate * stepFactor)) records/s: lower --start-rate")
            }
            // Hold: the best rate for `seconds`, sealing included.
            var result: Phase?
            var bounded = false
            for attempt in 0...fallbacks {
                pacer.setRate(held)
                try await drain(node, span: span)
                progress("holding \(Int(held)) records/s for \(Int(seconds)) s")
                let phase = try await hold(node, statistics: statistics, offered: held, seconds: seconds, progress: progress)
                result = phase
                bounded = phase.keptUp && phase.maxSealLag <= 2 * partitionSpan
                progress("held \(Int(held)): acknowledged \(Int(phase.acknowledged)) records/s, seal lag ≤ \(Self.rounded(phase.maxSealLag)) s, "
                    + "\(phase.sealed) partitions sealed, BUSY \(phase.busy)")
                if bounded || attempt == fallbacks { break }
                held /= stepFactor
            }
            guard let phase = result else { throw IngestBenchmarkError.failed("no held phase ran") }
            report.add("sustained_records_per_s", Int(phase.acknowledged))
            report.add("sustained_seal_lag_s", phase.maxSealLag, decimals: 1)
            report.add("bounded", bounded ? 1 : 0)
            report.add("offered_records_per_s", Int(phase.offered))
            report.add("sustained_mb_per_s", phase.acknowledged * Double(recordBytes) / 1_000_000)
            report.add("sealed_partitions", phase.sealed)
            report.add("max_head_mb", Double(phase.maxHeadBytes) / 1_048_576)
            report.add("busy_answers", phase.busy)
            report.add("seconds", phase.seconds, decimals: 0)
            report.add("partition_span_s", partitionSpan, decimals: 0)
            report.add("probe_steps", steps.joined(separator: ","))
        } catch {
            await Self.close(channels, group: group, restamping: restamping, node: node)
            throw error
        }
        await Self.close(channels, group: group, restamping: restamping, node: node)
        if let error = statistics.snapshot.errors.first {
            throw IngestBenchmarkError.failed("\(statistics.snapshot.errors.count) errors, the first: \(error)")
        }
        return [report]
    }

    /// Offers `offered` records/s for `seconds` and watches the node every
    /// second: acknowledged rate, BUSY answers, heads, and how long ago
    /// the oldest ended partition still unsealed ended (the seal lag).
    private func hold(_ node: NodeService, statistics: IngestLoadStatistics, offered: Double, seconds: Double,
                      progress: (@Sendable (String) -> Void)? = nil) async throws -> Phase {
        let recordsBefore = statistics.snapshot.records
        let busyBefore = statistics.busyAnswers
        let start = ContinuousClock.now
        let end = start + .milliseconds(Int(seconds * 1000))
        var phase = Phase(offered: offered, acknowledged: 0, busy: 0, maxSealLag: 0, maxHeadBytes: 0, sealed: 0, seconds: 0)
        var sealedBefore: Set<PartitionKey>?
        var lastReport = start
        while ContinuousClock.now < end {
            try await Task.sleep(for: .seconds(1))
            let partitions = await node.partitions()
            let now = Self.now()
            let lag = partitions.filter { $0.seal == nil && $0.key.end <= now }.map { Double(now - $0.key.end) / 1e9 }.max() ?? 0
            phase.maxSealLag = max(phase.maxSealLag, lag)
            phase.maxHeadBytes = max(phase.maxHeadBytes, await node.headBytes())
            let sealed = Set(partitions.filter { $0.seal != nil }.map(\.key))
            if let before = sealedBefore { phase.sealed += sealed.subtracting(before).count }
            sealedBefore = sealed
            if let progress, ContinuousClock.now - lastReport >= .seconds(30) {
                lastReport = .now
                let elapsed = (ContinuousClock.now - start) / .seconds(1)
                progress("  \(Int(elapsed)) s: \(Int(Double(statistics.snapshot.records - recordsBefore) / elapsed)) records/s acknowledged, "
                    + "seal lag \(Self.rounded(lag)) s, heads \(phase.maxHeadBytes >> 20) MiB at most")
            }
        }
        phase.seconds = (ContinuousClock.now - start) / .seconds(1)
        phase.acknowledged = Double(statistics.snapshot.records - recordsBefore) / phase.seconds
        phase.busy = statistics.busyAnswers - busyBefore
        return phase
    }

    /// Waits (up to two spans) until the heads are below a quarter of
    /// their limit and no ended partition waits for its seal longer than
    /// a span: what an overloaded probing step left behind is cleared.
    private func drain(_ node: NodeService, span: Int64) async throws {
        let deadline = ContinuousClock.now + .nanoseconds(2 * span)
        while ContinuousClock.now < deadline {
            let now = Self.now()
            let lagging = await node.partitions().contains { $0.seal == nil && $0.key.end + span <= now }
            if !lagging, await node.headBytes() < PartitionSettings().maxHeadBytes / 4 { return }
            try await Task.sleep(for: .seconds(1))
        }
    }

    private static func close(_ channels: [Channel], group: MultiThreadedEventLoopGroup, restamping: Task<Void, Never>, node: NodeService) async {
        restamping.cancel()
        for channel in channels { try? await channel.close() }
        try? await Task.sleep(for: .milliseconds(200))
        try? await group.shutdownGracefully()
        await node.stop()
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    static func rounded(_ value: Double) -> String { String(format: "%.1f", value) }
}
