import ArgumentParser

/// `trib bench NAME`: benchmarks that print their figures.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput; run from a release build (swift build -c release).",
        subcommands: [CodecBenchCommand.self, TLSBenchCommand.self, IngestBenchCommand.self, ClusterBenchCommand.self, QueryBenchCommand.self, AgentBenchCommand.self, PromQLBenchCommand.self,
                      AnomalyBenchCommand.self, PatternsBenchCommand.self, ScrapeBenchCommand.self, PushBenchCommand.self,
                      SustainedBenchCommand.self, ConsoleBenchCommand.self, StorageBenchCommand.self]
    )
}
