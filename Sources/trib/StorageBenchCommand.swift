import ArgumentParser
import Foundation
import TributaryBench

/// `trib bench storage`: disk taken by a node for a directory of logs,
/// against `gzip -6` of the same files.
struct StorageBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Load a directory of log files into a node, let it seal, and compare its data directory with gzip -6 of the files.",
        discussion: """
            Every line (split at newlines, all other bytes kept) goes through an in-process node as one stream per file, in buckets \
            that have already ended, so everything seals. Prints storage_vs_gzip6 (every byte under the data directory's partitions/ ÷ the sum \
            of gzip -6 of each file), data_dir_vs_gzip6 (the whole data directory, adding state of a bounded size such as the \
            pattern miner's), partition_bytes, data_dir_bytes, sealed_bytes, gzip6_bytes, raw_bytes and lines; with --compare-plain also the same \
            figures (plain_…) for sealed blocks of plain lines, the format before templates. Deterministic: no timing.
            """
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "A directory of log files (every regular file in it), or one file (default: ../shared/data/loghub).")
    var data: String?

    @Flag(help: "Also store the files with plain-line sealed blocks (the format before templates) and print plain_storage_vs_gzip6.")
    var comparePlain = false

    func run() async throws {
        let path = try data ?? LoghubCorpus.locate(nil).path
        var files = try StorageBenchmark.files(at: path)
        if data == nil { files = files.filter { $0.pathExtension == "log" } }
        var benchmark = StorageBenchmark()
        benchmark.comparePlain = comparePlain
        let quiet = json
        for report in try await benchmark.run(files: files, progress: { line in
            if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }) {
            print(json ? report.json : report.text)
        }
    }
}
