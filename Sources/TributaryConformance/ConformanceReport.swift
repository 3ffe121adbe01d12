import Foundation

/// The report `trib bench promql` prints.
public enum ConformanceReport {
    public static func json(_ results: [ConformanceFileResult]) -> [String] {
        var lines = results.map { "{\"file\":\"\($0.file)\",\"passed\":\($0.passed),\"failed\":\($0.failed),\"skipped\":\($0.skipped)}" }
        let passed = results.reduce(0) { $0 + $1.passed }
        let failed = results.reduce(0) { $0 + $1.failed }
        let skipped = results.reduce(0) { $0 + $1.skipped }
        lines.append("{\"promqltest_passed\":\(passed),\"promqltest_failed\":\(failed),\"promqltest_skipped\":\(skipped),\"promqltest_pass_ratio\":\(ratioText(passed, failed))}")
        return lines
    }

    public static func table(_ results: [ConformanceFileResult], verbose: Bool) -> [String] {
        var lines: [String] = []
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        lines.append(pad("file", 28) + pad("passed", 8) + pad("failed", 8) + "skipped")
        for result in results {
            lines.append(pad(result.file, 28) + pad("\(result.passed)", 8) + pad("\(result.failed)", 8) + "\(result.skipped)")
        }
        let passed = results.reduce(0) { $0 + $1.passed }
        let failed = results.reduce(0) { $0 + $1.failed }
        let skipped = results.reduce(0) { $0 + $1.skipped }
        lines.append(pad("total", 28) + pad("\(passed)", 8) + pad("\(failed)", 8) + "\(skipped)")
        lines.append("promqltest_pass_ratio \(ratioText(passed, failed))")
        if verbose {
            for result in results {
                for (reason, count) in result.skipReasons.sorted(by: { $0.key < $1.key }) {
                    lines.append("\(result.file): skipped \(count): \(reason)")
                }
            }
            for result in results {
                for failure in result.failures {
                    lines.append("\(result.file):\(failure.line): \(failure.query)")
                    lines.append("    \(failure.reason)")
                }
            }
        }
        return lines
    }

    /// passed / (passed + failed) with four decimals.
    static func ratioText(_ passed: Int, _ failed: Int) -> String {
        guard passed + failed > 0 else { return "0" }
        let ratio = Double(passed) / Double(passed + failed)
        return String(format: "%.4f", ratio)
    }
}
