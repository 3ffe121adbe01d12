import ArgumentParser
import Foundation
import TributaryAnomaly

/// `trib bench anomaly`: the anomaly detector on the synthetic suite.
struct AnomalyBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomaly",
        abstract: "Score the anomaly detector on synthetic series with planted anomalies.",
        discussion: """
        Nine days of one-minute points per case (seven of history, two judged), judged the way an `anomaly:` rule \
        judges them (through the query engine, defaults: sensitivity 4, min_duration 3m, window 7d). Prints \
        anomaly_precision (alarms explained by a planted anomaly / alarms) and anomaly_recall (planted anomalies \
        detected in time / planted anomalies), and one line per case. See docs/anomalies.md.
        """
    )

    @Flag(help: "Print one JSON object per case, then a summary object.")
    var json = false

    @Option(help: "Extra rule keys for every case, as YAML lines (e.g. \"sensitivity: 3\").")
    var settings: String = ""

    func run() throws {
        let started = ContinuousClock.now
        let report = try AnomalyBenchmark(settings: settings.replacingOccurrences(of: "\\n", with: "\n")).run()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for one in report.cases {
            if json, let data = try? encoder.encode(one), let line = String(data: data, encoding: .utf8) {
                print(line)
            } else if !json {
                print("\(one.name.padding(toLength: 22, withPad: " ", startingAt: 0)) events \(one.detected)/\(one.events) detected, alarms \(one.trueAlarms)/\(one.alarms) true"
                    + (one.delaysSeconds.isEmpty ? "" : ", delay \(one.delaysSeconds.map { String(Int($0)) + "s" }.joined(separator: " "))"))
            }
        }
        let bandSeconds = String(format: "%.3f", try AnomalyBenchmark().bandQuerySeconds())
        let precision = String(format: "%.4f", report.precision)
        let recall = String(format: "%.4f", report.recall)
        let delay = report.medianDelaySeconds.map { String(format: "%.0f", $0) } ?? "null"
        if json {
            print("{\"bench\":\"anomaly\",\"anomaly_precision\":\(precision),\"anomaly_recall\":\(recall),\"events\":\(report.events),\"detected\":\(report.detected),\"alarms\":\(report.alarms),\"true_alarms\":\(report.trueAlarms),\"median_delay_s\":\(delay),\"cases\":\(report.cases.count),\"anomaly_band_query_s\":\(bandSeconds),\"elapsed_s\":\(String(format: "%.2f", seconds))}")
        } else {
            print("anomaly_precision \(precision) (\(report.trueAlarms)/\(report.alarms) alarms), anomaly_recall \(recall) (\(report.detected)/\(report.events) anomalies), median delay \(delay) s, suite \(String(format: "%.2f", seconds)) s, band query (2,880 steps over 7d) \(bandSeconds) s")
        }
    }
}
