import ArgumentParser
import TributaryBench

/// `trib bench tls`: TLS throughput and handshakes over loopback.
struct TLSBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "TLS 1.3 (AES-128-GCM) bulk throughput, the same without TLS, and ECDHE P-256 handshakes per second over loopback.",
        discussion: "Prints tls_mb_per_s, plain_mb_per_s and handshakes_per_s."
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "MB sent per bulk trial (3 trials each, TLS and plain).")
    var megabytes = 1000

    @Option(help: "Seconds of handshakes.")
    var handshakeSeconds: Double = 5

    @Option(help: "Connections handshaking at once.")
    var concurrency = 8

    func validate() throws {
        guard megabytes > 0, handshakeSeconds > 0, concurrency > 0 else {
            throw ValidationError("--megabytes, --handshake-seconds and --concurrency must be positive")
        }
    }

    func run() async throws {
        var benchmark = TLSBenchmark()
        benchmark.transferBytes = megabytes * 1_000_000 / benchmark.writeSize * benchmark.writeSize
        benchmark.handshakeSeconds = handshakeSeconds
        benchmark.concurrentHandshakes = concurrency
        for report in try await benchmark.run() {
            print(json ? report.json : report.text)
        }
    }
}
