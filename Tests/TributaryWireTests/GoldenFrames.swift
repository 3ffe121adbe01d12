import NIOCore
import TributaryModel
import TributaryWire

/// The values behind `proto/vectors/*.hex` (written independently by
/// `proto/reference/make_vectors.py`), by file name.
enum GoldenFrames {
    static let webLabels = try! Labels(["host": "web-1", "source": "syslog"])

    static let records: [Record] = [
        .log(LogRecord(
            timestamp: 1_700_000_000_000_000_000, severity: .info, labels: webLabels,
            message: "sshd[4242]: Accepted publickey for deploy from 10.0.0.9", fields: [Field("user", "deploy")])),
        .log(LogRecord(
            timestamp: 1_700_000_000_000_500_000, severity: .error, labels: webLabels,
            message: "sshd[4242]: Connection closed by 10.0.0.9")),
        .metric(MetricSample(
            name: "cpu_seconds_total", labels: try! Labels(["cpu": "0", "host": "web-1"]),
            timestamp: 1_700_000_000_001_000_000, value: 1234.5, kind: .counter)),
        .event(ChangeEvent(
            type: "deploy", labels: try! Labels(["host": "web-1", "service": "checkout"]),
            timestamp: 1_700_000_000_002_000_000, message: "v1.4.2")),
    ]

    /// Frames other than batches, compared field by field.
    static let frames: [String: Frame] = [
        "01-hello.hex": .hello(Hello(
            versions: [1], agentID: "agent-7f3c", token: Array("s3cret-token".utf8), capabilities: .deflate,
            software: "trib/0.1.0", host: "web-1")),
        "02-welcome.hex": .welcome(Welcome(
            version: 1, capabilities: .deflate, nodeID: "node-a", maxFrameBytes: 8_388_608, maxBatchRecords: 100_000,
            maxBatchRawBytes: 67_108_864, window: 8, idleTimeoutMilliseconds: 30_000)),
        "03-reject.hex": .reject(Reject(code: .authFailed, retryAfterMilliseconds: 0, reason: "unknown token for agent agent-7f3c")),
        "06-ack.hex": .ack(Ack(cumulative: 42, selective: [44, 45])),
        "07-nack.hex": .nack(Nack(
            sequence: 43, disposition: .permanent, code: .tooOld,
            reason: "record at 2023-11-14T22:13:20Z is older than the 7d retention of tenant default")),
        "08-busy.hex": .busy(Busy(sequence: 0, retryAfterMilliseconds: 250, reason: "write-ahead log is full; 8 batches queued")),
        "09-ping.hex": .ping(nonce: 0x0102_0304_0506_0708),
        "10-pong.hex": .pong(nonce: 0x0102_0304_0506_0708),
        "11-goaway.hex": .goAway(GoAway(
            code: .draining, reason: "node-a is shutting down", alternatives: ["10.0.0.2:7400", "node-c.example:7400"])),
        "12-peer.hex": .peer(PeerFrame(type: FrameType(rawValue: 0x80), payload: ByteBuffer(string: "opaque"))),
        "13-config-request.hex": .configRequest(ConfigRequest(group: "web", version: 3)),
        "14-config.hex": .config(ConfigOffer(group: "web", version: 4, state: .body, body: "inputs: [{type: syslog, udp: 0.0.0.0:514}]")),
        "15-config-changed.hex": .configChanged(ConfigChanged(group: "web", version: 5)),
        "16-config-status.hex": .configStatus(ConfigStatus(
            group: "web", version: 5, applied: 4, error: "does not start: input syslog: cannot listen on udp 0.0.0.0:514")),
        "17-report.hex": .report(report),
    ]

    /// `17-report.hex`: no central configuration, no error.
    static var report: AgentReport {
        var report = AgentReport()
        report.host = "web-1"
        report.os = "Debian GNU/Linux 12 (bookworm)"
        report.kernel = "6.1.0-18-amd64"
        report.version = "0.1.0"
        report.startedMilliseconds = 1_700_000_000_000
        report.configHash = "9f86d081884c7d65"
        report.spoolBytes = 4096
        report.oldestUnackedMilliseconds = 1500
        report.labels = ["env": "prod"]
        report.inputs = [AgentReport.Input(name: "app", type: "file", state: "running", records: 1200),
                         AgentReport.Input(name: "syslog", type: "syslog", state: "running", records: 35)]
        return report
    }

    /// Batch vectors: (sequence, compressed).
    static let batches: [String: (sequence: UInt64, compressed: Bool)] = [
        "04-batch-plain.hex": (42, false),
        "05-batch-zlib.hex": (43, true),
    ]
}
