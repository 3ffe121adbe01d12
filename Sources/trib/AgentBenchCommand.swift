import ArgumentParser
import TributaryBench

/// `trib bench agent`: file and syslog throughput, and the agent's cost at a steady rate.
struct AgentBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "The agent (a separate process) forwarding over TLS with zlib level 1 to a local node.",
        discussion: """
            Prints file_mib_per_s (200-byte lines from a file), syslog_msgs_per_s and rsyslog_msgs_per_s \
            (loggen over TCP into the agent, then into rsyslog's imptcp → omfile, unpacked from Debian's \
            package into ~/.cache/tributary/rsyslog on first use) with syslog_vs_rsyslog, syslog_ng_msgs_per_s \
            (the same into syslog-ng's network() → file()) with syslog_vs_syslog_ng, steady_cores \
            and steady_rss_mb (the agent tailing a file written at 10,000 lines/s), and agent_binary_mb (the size \
            of the agent executable measured: trib-agent beside trib when it is there). Needs loggen \
            (apt-get install syslog-ng-core).
            """
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Directory of Loghub *.log samples (default: ../shared/data/loghub).")
    var data: String?

    @Option(help: "Size of the file for file_mib_per_s, in MiB.")
    var fileMib = 512

    @Option(help: "Messages loggen sends for the syslog figures.")
    var syslogMessages = 300_000

    @Option(help: "Seconds of steady writing measured (after 5 s of warm-up).")
    var steadySeconds: Double = 30

    @Option(help: "Only these parts: file, syslog, steady (repeatable).")
    var only: [String] = []

    @Option(help: "Syslog references to run: rsyslog, syslog-ng (repeatable; default both).")
    var reference: [String] = ["rsyslog", "syslog-ng"]

    func validate() throws {
        for name in reference where !["rsyslog", "syslog-ng"].contains(name) {
            throw ValidationError("--reference \(name): the references are rsyslog and syslog-ng")
        }
    }
    @Option(help: "The agent executable to measure (default: trib-agent beside trib if it is there, else trib agent).")
    var agentExecutable: String?

    func run() async throws {
        let corpus = try LoghubCorpus(directory: LoghubCorpus.locate(data))
        var benchmark = AgentBenchmark()
        benchmark.fileMiB = fileMib
        benchmark.syslogMessages = syslogMessages
        benchmark.steadySeconds = steadySeconds
        benchmark.only = Set(only)
        benchmark.references = Set(reference)
        benchmark.agentExecutable = agentExecutable
        for report in try await benchmark.run(corpus: corpus) {
            print(json ? report.json : report.text)
        }
    }
}
