import Foundation

extension PromQLTestRunner {
    /// Runs every `*.test` file of `directory`, in name order.
    public func run(directory: String) throws -> [ConformanceFileResult] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".test") }.sorted()
        return try names.map { name in
            let text = try String(contentsOfFile: (directory as NSString).appendingPathComponent(name), encoding: .utf8)
            return run(script: text, file: name)
        }
    }

    /// `../shared/data/promqltest` from the working directory or above the
    /// executable, like the Loghub default of the other benchmarks.
    public static func locateDefaultDirectory() -> String? {
        let cwd = FileManager.default.currentDirectoryPath
        var candidates = [cwd + "/../shared/data/promqltest", cwd + "/shared/data/promqltest"]
        var up = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            up = up.deletingLastPathComponent()
            candidates.append(up.appendingPathComponent("shared/data/promqltest").path)
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }
}
