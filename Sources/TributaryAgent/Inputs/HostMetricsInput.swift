import Logging
import TributaryFormats
import TributaryModel

/// A `type: host_metrics` input: CPU, memory, load, disk, network and file
/// system figures from /proc and statfs every `interval`.
public final class HostMetricsInput: Sendable {
    public let name: String
    private let task: Task<Void, Never>

    public init(name: String, interval: Duration, procRoot: String = "/proc", labels: Labels, batcher: Batcher, logger: Logger) {
        self.name = name
        let reader = HostMetricsReader(procRoot: procRoot)
        task = Task.detached {
            var reported: Set<String> = []
            while !Task.isCancelled {
                let (samples, problems) = reader.read()
                for problem in problems where reported.insert(problem).inserted {
                    logger.warning("\(name): \(problem)")
                }
                let records = MetricRecords.records(samples, labels: labels, timestamp: FileInput.now())
                if !records.isEmpty, batcher.accepting {
                    batcher.submit(records, input: name, bytes: records.count * 32)
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    public func stop() {
        task.cancel()
    }
}
