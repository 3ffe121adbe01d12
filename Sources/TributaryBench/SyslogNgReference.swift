import Foundation

/// syslog-ng as the second reference receiver for `trib bench agent`:
/// Debian's `syslog-ng-core` (the package that ships `loggen`), run in the
/// foreground with its own configuration, persist file and control socket
/// in a private directory: a TCP `network()` source on a free port
/// written by a `file()` destination, defaults otherwise (the same job as
/// rsyslog's imptcp → omfile).
struct SyslogNgReference {
    static let executable = "/usr/sbin/syslog-ng"

    let child: BenchChild
    let port: Int
    let output: String

    /// The executable, if installed.
    static func locate() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["SYSLOG_NG"] { return explicit }
        return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil
    }

    static func start(_ syslogNg: String, directory: URL) throws -> SyslogNgReference {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try RsyslogReference.freePort()
        let output = directory.appendingPathComponent("out.log").path
        let config = directory.appendingPathComponent("syslog-ng.conf").path
        // `@version: current` accepts the installed version's syntax (3.38 on Debian 12).
        try """
            @version: current
            options { stats-freq(0); };
            source s_bench { network(ip("127.0.0.1") port(\(port)) transport("tcp")); };
            destination d_bench { file("\(output)"); };
            log { source(s_bench); destination(d_bench); };
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let child = try BenchChild(syslogNg, [
            "--foreground", "--no-caps", "--cfgfile", config,
            "--persist-file", directory.appendingPathComponent("syslog-ng.persist").path,
            "--pidfile", directory.appendingPathComponent("syslog-ng.pid").path,
            "--control", directory.appendingPathComponent("syslog-ng.ctl").path,
        ])
        let deadline = Date().addingTimeInterval(15)
        while !RsyslogReference.canConnect(port) {
            guard Date() < deadline, child.process.isRunning else {
                throw BenchChildError.failed("syslog-ng did not start:\n" + child.output.joined(separator: "\n"))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return SyslogNgReference(child: child, port: port, output: output)
    }

    func stop() { child.stop() }

    /// Lines in syslog-ng's output file.
    func linesWritten() -> Int {
        guard let handle = FileHandle(forReadingAtPath: output) else { return 0 }
        defer { try? handle.close() }
        var count = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            count += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return count
    }
}
